import { describe, expect, it } from 'vitest';
import { MAX_ADDRESS_TEXT, parseLookupAddress } from '../../../src/domain/lookup/lookup-address.js';

describe('parseLookupAddress', () => {
  it('reads the longest address texts, and refuses anything longer than any address', () => {
    const longest = '0000:0000:0000:0000:0000:ffff:255.255.255.255'; // 45 characters
    expect(parseLookupAddress(longest)).toMatchObject({ family: 4, text: '255.255.255.255' });
    expect(parseLookupAddress('fd00:0000:0000:0000:0000:0000:0000:0001')).toMatchObject({ family: 6 });
    for (const text of ['1'.repeat(MAX_ADDRESS_TEXT + 1), `10.240.0.5${' '.repeat(8180)}`, 'a'.repeat(8192)])
      expect(parseLookupAddress(text)).toBeUndefined();
    expect(MAX_ADDRESS_TEXT).toBeGreaterThanOrEqual(longest.length);
  });
});
