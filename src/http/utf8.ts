import { isUtf8 } from 'node:buffer';
import type { BodyProblem } from './json-checks.js';
import { RequestError } from './problem.js';

/**
 * A JSON body whose bytes are not UTF-8 (RFC 8259), refused where the first bad byte is: decoded
 * as it was, each bad byte became U+FFFD and text was stored other than was sent. The native check
 * costs microseconds; the offset is looked for on the refusal's path only.
 */
export function notUtf8Problem(bytes: Uint8Array): BodyProblem | undefined {
  if (isUtf8(bytes)) return undefined;
  const at = firstNonUtf8(bytes);
  return {
    code: 'MALFORMED_JSON',
    path: '',
    message: `the body is not valid JSON: it is not UTF-8 (RFC 8259), from the byte at offset ${at}`,
  };
}

/**
 * The offset of the first byte that does not continue well-formed UTF-8 (the Unicode Standard's
 * table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or -1 when there is none.
 */
export function firstNonUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    const length = sequenceLength(lead);
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || !continues(lead, k, next)) return i;
    }
    i += length;
  }
  return -1;
}

/** Bytes in the sequence a lead byte starts, or 0 for a byte no sequence starts with. */
function sequenceLength(lead: number): number {
  if (lead <= 0x7f) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `next` may be the k-th byte after `lead`: the second byte's range depends on the lead. */
function continues(lead: number, k: number, next: number): boolean {
  if (k === 1) {
    if (lead === 0xe0) return next >= 0xa0 && next <= 0xbf;
    if (lead === 0xed) return next >= 0x80 && next <= 0x9f;
    if (lead === 0xf0) return next >= 0x90 && next <= 0xbf;
    if (lead === 0xf4) return next >= 0x80 && next <= 0x8f;
  }
  return next >= 0x80 && next <= 0xbf;
}

/** Charsets whose text UTF-8 reads as sent: UTF-8 itself, and ASCII, a subset of it. */
const UTF8_READABLE: ReadonlySet<string> = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/**
 * The charset a Content-Type names when it is not UTF-8: the body would be read as UTF-8 all the
 * same, and text in Latin-1 or UTF-16 would be stored as other characters than were sent.
 */
function otherCharset(contentType: string | undefined): string | undefined {
  const named = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  return named === undefined || UTF8_READABLE.has(named) ? undefined : named;
}

/** 415 for a body said to be in another charset than UTF-8, which is how every body is read. */
export function otherCharsetRefusal(contentType: string | undefined, rule: string): RequestError | undefined {
  const charset = otherCharset(contentType);
  if (charset === undefined) return undefined;
  const message = `${rule}, not charset=${charset.slice(0, 32)}: send it as UTF-8`;
  return new RequestError('UNSUPPORTED_MEDIA_TYPE', message, [
    { code: 'UNSUPPORTED_MEDIA_TYPE', path: 'content-type', message },
  ]);
}
