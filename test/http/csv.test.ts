import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord } from '../../src/http/csv.js';

/** Field values with what CSV must quote among them; no line feed: records here are one line. */
const value = fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\r', ' ', 'é'), maxLength: 8 });

describe('CSV records on one line', () => {
  it('read back every record CSV writes, as written by RFC 4180', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (fields) => {
        expect(csvRecord(fields.map(csvField).join(','))).toEqual({ fields, strict: true });
      }),
    );
  });

  it('read a quote or a carriage return in a field without quotes, as not written by RFC 4180', () => {
    expect(csvRecord('a,x"y,b')).toEqual({ fields: ['a', 'x"y', 'b'], strict: false });
    expect(csvRecord('a,x\ry')).toEqual({ fields: ['a', 'x\ry'], strict: false });
    expect(csvRecord('"a\rb",c')).toEqual({ fields: ['a\rb', 'c'], strict: true });
    expect(csvRecord('"a,b"')).toEqual({ fields: ['a,b'], strict: true });
    expect(csvRecord('"a')).toBeUndefined();
    expect(csvRecord('"a"b')).toBeUndefined();
  });
});
