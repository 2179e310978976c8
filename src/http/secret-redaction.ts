/**
 * Secrets a caller put where none belongs, kept out of log lines and of the problem answers that
 * echo a request: a token in the query string (`?access_token=`), or a whole token where its id
 * goes (`DELETE /v1/tokens/aksip_<id>_<secret>`). Only the Authorization header is meant to carry
 * one, and it is never logged; these would otherwise be written to every log a URL reaches.
 */

const REDACTED = '[redacted]';
/** An API token's secret part (its id stays readable), or anything else after the prefix. */
const API_TOKEN = /(aksip_[0-9a-f]{12}_|aksip_)[A-Za-z0-9_-]+/g;
/** A JSON Web Token, whole or cut short: a base64url JSON header (`{"` is `eyJ`) and what follows. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
/** Query parameters whose names say they carry a credential. */
const SECRET_NAME = /token|secret|passw|pwd|key|auth|jwt|sig|credential|session|cookie/i;
/** Secrets shorter than this are not searched for: they would hide ordinary words. */
const MIN_KNOWN_LENGTH = 16;
/** A known secret is found by this many of its first characters: a quote cut short keeps them. */
const KNOWN_PREFIX = 12;

export class SecretRedaction {
  /** Each known secret, as sent and percent-encoded (a URL carries `+`, `/`, `=` encoded). */
  private readonly known: readonly string[];

  /** `known`: secrets of the service's own (the admin token) that may appear anywhere. */
  constructor(known: readonly (string | undefined)[] = []) {
    const secrets = known.filter((s): s is string => s !== undefined && s.length >= MIN_KNOWN_LENGTH);
    const encoded = (s: string) => encodeURIComponent(s);
    const lowerHex = (s: string) => encoded(s).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
    this.known = [...new Set(secrets.flatMap((s) => [s, encoded(s), lowerHex(s)]))];
  }

  /** A text (a problem's detail, message or path) without the secrets it may quote, whole or cut short. */
  text(text: string): string {
    let out = text;
    if (out.includes('aksip_')) out = out.replace(API_TOKEN, `$1${REDACTED}`);
    if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
    for (const secret of this.known) out = withoutKnown(out, secret);
    return out;
  }

  /**
   * A request URL without secrets: in its path, and as the values of credential-named
   * parameters. Every request's log line asks this: a URL with nothing to hide is answered after
   * a few scans, without a copy.
   */
  url(url: string): string {
    const clean = this.text(url);
    const q = clean.indexOf('?');
    if (q < 0) return clean;
    const query = clean.slice(q + 1);
    if (!SECRET_NAME.test(query) && !query.includes('%')) return clean;
    return `${clean.slice(0, q)}?${query.split('&').map(withoutSecretValue).join('&')}`;
  }
}

/**
 * `text` with each run of `secret` replaced: the whole secret, or its first characters up to
 * where a quote cut it short (at least KNOWN_PREFIX of them).
 */
function withoutKnown(text: string, secret: string): string {
  const start = secret.slice(0, KNOWN_PREFIX);
  let out = text;
  for (let at = out.indexOf(start); at >= 0; at = out.indexOf(start, at + REDACTED.length)) {
    let end = at + start.length;
    while (end < out.length && end - at < secret.length && out[end] === secret[end - at]) end++;
    out = `${out.slice(0, at)}${REDACTED}${out.slice(end)}`;
  }
  return out;
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
