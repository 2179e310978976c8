import type { Database, Statement } from 'better-sqlite3';
import type { Labels } from '../../domain/labels.js';
import type { HeldRange } from '../../domain/space/conflicts.js';
import {
  allocationNameSql,
  HELD_ROWS_PER_STEP,
  type HeldAllocationRow,
  type HeldPlanRow,
  heldRangesOf,
  IN_SHARED_VNETS,
  whereAll,
} from '../held-range-rows.js';
import { Params } from '../sql-params.js';
import { LabelTable } from './label-table.js';

/** Whole reads tried before the last one holds the event loop: each is restarted by a write. */
const ATTEMPTS = 3;

interface PlanRangeRow extends HeldPlanRow {
  seq: number;
  position: number;
}

interface SpaceAllocationRow extends HeldAllocationRow {
  family: number;
  first_key: string;
}

/**
 * Every range a stored plan uses and every allocation, for conflict checks; with `team`, the
 * team's plans and the allocations of the spaces it sees. A hundred thousand ranges take about
 * a second to read, so they are read a few thousand rows at a time with `pause` between; a
 * write committed meanwhile (by this process or another) restarts the read, so the ranges are
 * one state of the database. When writes keep landing, the last attempt reads in one go.
 */
export async function heldRanges(
  db: Database,
  team: Labels,
  pause: () => Promise<void>,
  rowsPerStep = HELD_ROWS_PER_STEP,
): Promise<HeldRange[]> {
  const reads = new HeldRangeReads(db, team);
  const mark = changeMark(db);
  attempts: for (let attempt = 1; attempt < ATTEMPTS; attempt++) {
    const before = mark();
    const rows = new HeldRows();
    const steps = reads.read(rows, rowsPerStep);
    while (!steps.next().done) {
      await pause();
      if (mark() !== before) continue attempts;
    }
    return rows.ranges();
  }
  const rows = new HeldRows();
  db.transaction(() => {
    const steps = reads.read(rows, Number.MAX_SAFE_INTEGER);
    while (!steps.next().done);
  }).deferred();
  return rows.ranges();
}

/** The ranges read so far (each step's rows turned into ranges as they come), and where to go on. */
class HeldRows {
  private readonly held: HeldRange[] = [];
  lastPlan: { seq: number; position: number } | undefined;

  addPlans(rows: readonly PlanRangeRow[]): void {
    for (const range of heldRangesOf(rows, [])) this.held.push(range);
    const last = rows[rows.length - 1];
    if (last !== undefined) this.lastPlan = last;
  }

  addAllocations(rows: readonly SpaceAllocationRow[]): void {
    for (const range of heldRangesOf([], rows)) this.held.push(range);
  }

  ranges(): HeldRange[] {
    return this.held;
  }
}

/**
 * Changes since the connection opened: its own commits (total_changes) and other connections'
 * (data_version). Equal marks mean nothing was committed in between.
 */
function changeMark(db: Database): () => string {
  const own = db.prepare<[], number>('SELECT total_changes()').pluck();
  return () => `${own.get()} ${db.pragma('data_version', { simple: true })}`;
}

/** The queries of one team's held ranges, in the order of the sweep's ties: plans, then allocations by space. */
class HeldRangeReads {
  private readonly plans: Statement<unknown[], PlanRangeRow>;
  private readonly planParams: unknown[];
  private readonly spaces: Statement<unknown[], string>;
  private readonly spaceParams: unknown[];
  private readonly allocations: Statement<unknown[], SpaceAllocationRow>;
  private readonly allocationParams: unknown[];

  constructor(db: Database, team: Labels) {
    const planTeam = new LabelTable(db, 'plan_labels', 'plan_id').teamConditions('p.id', team, false);
    this.planParams = planTeam.params;
    // After (seq, position): the plan's ranges in the order they were written.
    this.plans = db.prepare(
      `SELECT p.id, p.name, r.exclusive, r.kind, r.cidr, r.subnet_name, r.pod_ip_allocation, r.subnet_demand, p.seq, r.rowid AS position
       FROM plans p JOIN plan_ranges r ON r.plan_id = p.id
       ${whereAll(['p.seq >= ?', '(p.seq > ? OR r.rowid > ?)', IN_SHARED_VNETS, ...planTeam.sql])}
       ORDER BY p.seq, r.rowid LIMIT ?`,
    );
    const spaceTeam = new LabelTable(db, 'space_labels', 'space_id').teamConditions('s.id', team, true);
    this.spaceParams = spaceTeam.params;
    this.spaces = db
      .prepare<unknown[], string>(`SELECT s.id FROM spaces s ${whereAll(spaceTeam.sql)} ORDER BY s.seq`)
      .pluck();
    const params = new Params('?');
    const name = allocationNameSql(
      team,
      params,
      (key, value) => `json_extract(a.owner_labels, ${params.add(`$."${key}"`)}) = ${params.add(value)}`,
    );
    this.allocationParams = params.values;
    this.allocations = db.prepare(
      `SELECT a.id, ${name} AS name, a.cidr, a.plan_id, a.family, a.first_key
       FROM allocations a JOIN spaces s ON s.id = a.space_id
       WHERE a.space_id = ? AND (a.family, a.first_key) > (?, ?)
       ORDER BY a.family, a.first_key LIMIT ?`,
    );
  }

  /** Reads the rows into `into`, at most `rows` of them before each yield: plans first. */
  *read(into: HeldRows, rows: number): Generator<void> {
    for (let more = true; more; ) {
      const { seq, position } = into.lastPlan ?? { seq: 0, position: 0 };
      const read = this.plans.all(seq, seq, position, ...this.planParams, rows);
      into.addPlans(read);
      more = read.length === rows;
      yield;
    }
    for (const space of this.spaces.all(...this.spaceParams)) {
      for (let after: SpaceAllocationRow | undefined, more = true; more; ) {
        const [family, key] = after === undefined ? [0, ''] : [after.family, after.first_key];
        const read = this.allocations.all(...this.allocationParams, space, family, key, rows);
        into.addAllocations(read);
        after = read[read.length - 1];
        more = read.length === rows;
        yield;
      }
    }
  }
}
