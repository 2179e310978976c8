/** Bytes per chunk handed out: large enough for few writes to the socket, small enough to stream. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * An answer body (JSON, NDJSON, CSV) written byte by byte into buffers of 64 KiB. Millions of
 * small answers concatenated as strings build ropes that cost more to flatten and encode than
 * to write; here every character is stored once, and full buffers go to the socket as they are.
 */
export class ChunkWriter {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private at = 0;
  private full: Buffer[] = [];

  /** Text known to be ASCII that needs no escaping: keys, punctuation, enum values, addresses. */
  raw(ascii: string): this {
    this.ensure(ascii.length);
    const chunk = this.chunk;
    let at = this.at;
    for (let i = 0; i < ascii.length; i++) chunk[at++] = ascii.charCodeAt(i);
    this.at = at;
    return this;
  }

  /** Any text as it is, in UTF-8 (at most three bytes per UTF-16 unit). */
  utf8(text: string): this {
    this.ensure(text.length * 3);
    this.at += this.chunk.write(text, this.at, 'utf8');
    return this;
  }

  /** Bytes written so far, not yet taken. */
  get size(): number {
    return this.full.reduce((sum, b) => sum + b.length, 0) + this.at;
  }

  /** Every byte written since the last take, in buffers of about 64 KiB (the writer starts afresh). */
  take(): Buffer[] {
    const parts = [...this.full, this.chunk.subarray(0, this.at)];
    this.full = [];
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.at = 0;
    return parts;
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.chunk.length) return;
    this.full.push(this.chunk.subarray(0, this.at));
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    this.at = 0;
  }
}
