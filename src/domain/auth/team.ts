import { DomainError, notFound } from '../errors.js';
import type { LabelSelector, Labels } from '../labels.js';

/**
 * The part of the company a caller acts for: the labels on its token (or its OIDC team claim),
 * such as `{team: "payments"}`. A team sees and changes only plans carrying its labels, and
 * spaces carrying them or none of their keys (shared spaces, which it may allocate from but
 * not change). Admins, and callers whose tokens carry no labels, act for everyone.
 */
export class Team {
  private constructor(readonly labels: Labels) {}

  static readonly EVERYONE = new Team({});

  static of(caller: { readonly scope: string; readonly labels: Labels }): Team {
    return caller.scope === 'admin' || Object.keys(caller.labels).length === 0
      ? Team.EVERYONE
      : new Team(caller.labels);
  }

  get isEveryone(): boolean {
    return Object.keys(this.labels).length === 0;
  }

  /** A plan is the team's when it carries every one of the team's labels. */
  seesPlan(labels: Labels): boolean {
    return Object.entries(this.labels).every(([key, value]) => labelOf(labels, key) === value);
  }

  /**
   * A space is the team's when it carries every one of the team's labels, and shared when it
   * carries none of their keys; one carrying some of them (`team=payments` to a token of
   * `team=payments, env=prod`) is another team's.
   */
  seesSpace(labels: Labels): boolean {
    return (
      this.seesPlan(labels) || Object.keys(this.labels).every((key) => labelOf(labels, key) === undefined)
    );
  }

  /** Whether the team owns (may change) what carries these labels. */
  owns(labels: Labels): boolean {
    return this.seesPlan(labels);
  }

  /** Selectors that keep exactly the team's plans. */
  planSelectors(): LabelSelector[] {
    return Object.entries(this.labels).map(([key, value]) => ({ key, value }));
  }

  /** Refuses labels for something the team creates that would not be its own. */
  requireOwnLabels(labels: Labels, path = 'labels'): void {
    const missing = Object.entries(this.labels).filter(([key, value]) => labelOf(labels, key) !== value);
    if (missing.length === 0) return;
    const wanted = missing.map(([key, value]) => `${key}=${value}`).join(', ');
    throw DomainError.invalid(
      'TEAM_LABELS_REQUIRED',
      `${path}.${missing[0]?.[0] ?? ''}`,
      `what this team creates must carry its labels: set ${wanted}`,
    );
  }

  /** The team may change a space only if it is the team's own, not a shared one. */
  assertOwnsSpace(space: { readonly name: string; readonly labels: Labels }): void {
    if (this.owns(space.labels)) return;
    throw new DomainError(
      'SHARED_SPACE_READ_ONLY',
      `space "${space.name}" is shared by every team: a team may allocate from it, and only an admin or a token without team labels may change it`,
    );
  }

  /** Not found, as if absent, unless the team sees the plan. */
  assertSeesPlan(idOrName: string, labels: Labels): void {
    if (!this.seesPlan(labels)) throw notFound.plan(idOrName);
  }

  assertSeesSpace(idOrName: string, labels: Labels): void {
    if (!this.seesSpace(labels)) throw notFound.space(idOrName);
  }
}

/** A label's value, never an inherited property (a label named "constructor" is a label). */
function labelOf(labels: Labels, key: string): string | undefined {
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}
