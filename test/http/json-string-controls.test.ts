import { describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../src/http/chunk-writer.js';

// Guards src/http/chunk-writer.ts: `code < 0x20` -> `code < 0x1f`: U+001F is copied raw
// into a JSON string (invalid JSON) instead of escaped. The property test's strings are printable.
describe('ChunkWriter.jsonString escapes every control character', () => {
  it('escapes each of U+0000..U+001F as JSON.stringify does', () => {
    for (let code = 0; code < 0x20; code++) {
      const text = `a${String.fromCharCode(code)}b`;
      expect(new ChunkWriter().jsonString(text).takeText()).toBe(JSON.stringify(text));
    }
  });
});
