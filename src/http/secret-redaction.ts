/**
 * Secrets a caller put where none belongs, kept out of log lines and of the problem answers that
 * echo a request: a token in the query string (`?access_token=`), or a whole token where its id
 * goes (`DELETE /v1/tokens/aksip_<id>_<secret>`). Only the Authorization header is meant to carry
 * one, and it is never logged; these would otherwise be written to every log a URL reaches.
 */

const REDACTED = '[redacted]';
/** An API token's secret part (its id stays readable), or anything else after the prefix. */
const API_TOKEN = /(aksip_[0-9a-f]{12}_|aksip_)[A-Za-z0-9_-]+/g;
/** A JSON Web Token: a base64url JSON header (`{"` is `eyJ`), a payload and a signature. */
const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** Query parameters whose names say they carry a credential. */
const SECRET_NAME = /token|secret|passw|pwd|key|auth|jwt|sig|credential|session|cookie/i;
/** Secrets shorter than this are not searched for: they would hide ordinary words. */
const MIN_KNOWN_LENGTH = 16;

export class SecretRedaction {
  private readonly known: readonly string[];

  /** `known`: secrets of the service's own (the admin token) that may appear anywhere. */
  constructor(known: readonly (string | undefined)[] = []) {
    this.known = known.filter((s): s is string => s !== undefined && s.length >= MIN_KNOWN_LENGTH);
  }

  /** A text (a problem's detail or message) without the secrets it may quote. */
  text(text: string): string {
    let out = text;
    if (out.includes('aksip_')) out = out.replace(API_TOKEN, `$1${REDACTED}`);
    if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
    for (const secret of this.known) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    return out;
  }

  /** A request URL without secrets: in its path, and as the values of credential-named parameters. */
  url(url: string): string {
    const clean = this.text(url);
    const q = clean.indexOf('?');
    if (q < 0) return clean;
    const pairs = clean.slice(q + 1).split('&');
    return `${clean.slice(0, q)}?${pairs.map(withoutSecretValue).join('&')}`;
  }
}

function withoutSecretValue(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq < 0) return pair;
  const name = pair.slice(0, eq);
  return SECRET_NAME.test(decoded(name)) ? `${name}=${REDACTED}` : pair;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/** What an answer written outside any app (the HTTP parser's refusals) can know: shapes only. */
export const SHAPES_ONLY = new SecretRedaction();
