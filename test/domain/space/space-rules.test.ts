import { describe, expect, it } from 'vitest';
import { Cidr } from '../../../src/domain/ip/index.js';
import { sameRanges } from '../../../src/domain/space/space-rules.js';

const cidrs = (...texts: string[]) => texts.map((t) => Cidr.parse(t));

describe("a space's ranges", () => {
  it('are the same in any order, and not when one is added, dropped, widened or moved', () => {
    expect(sameRanges(cidrs('10.0.0.0/16', 'fd00::/48'), cidrs('fd00::/48', '10.0.0.0/16'))).toBe(true);
    expect(sameRanges(cidrs('10.0.0.0/16'), cidrs('10.0.0.0/16', '10.1.0.0/16'))).toBe(false);
    expect(sameRanges(cidrs('10.0.0.0/16', '10.1.0.0/16'), cidrs('10.0.0.0/16'))).toBe(false);
    expect(sameRanges(cidrs('10.0.0.0/16'), cidrs('10.0.0.0/15'))).toBe(false);
    expect(sameRanges(cidrs('10.0.0.0/16'), cidrs('10.2.0.0/16'))).toBe(false);
  });
});
