import { describe, expect, it } from 'vitest';
import { notFound } from '../../src/domain/errors.js';
import { type LookupAddress, parseLookupAddress } from '../../src/domain/lookup/lookup-address.js';
import { jsonBatch, lookupLines } from '../../src/http/lookup-stream.js';
import type { AddressAnswer, LookupOptions, LookupService } from '../../src/service/lookup-service.js';
import { TimeSlices } from '../../src/service/time-slices.js';

const addresses = (count: number): LookupAddress[] =>
  Array.from({ length: count }, (_, i) => parseLookupAddress(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)!);

/**
 * A lookup service that answers every address with no match and records the slices it was
 * asked, and the clock each slice was given.
 */
function recordingLookups(fail?: (call: number) => Error | undefined) {
  const slices: number[] = [];
  const clocks: (TimeSlices | undefined)[] = [];
  const lookups = {
    async lookup(
      asked: readonly LookupAddress[],
      _options: LookupOptions,
      _ats?: unknown,
      clock?: TimeSlices,
    ): Promise<AddressAnswer[]> {
      const error = fail?.(slices.length);
      slices.push(asked.length);
      clocks.push(clock);
      if (error !== undefined) throw error;
      return asked.map((address) => ({ address, matches: [], matchCount: 0, truncated: false }));
    },
  } as unknown as LookupService;
  return { lookups, slices, clocks };
}

async function* streamOf(body: string): AsyncGenerator<Buffer> {
  yield Buffer.from(body);
}

async function text(body: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts).toString('utf8');
}

describe('a JSON batch answered in slices', () => {
  it('looks up a slice at a time (1,000 addresses at the default limit) and answers all in order', async () => {
    const { lookups, slices } = recordingLookups();
    const asked = addresses(2_345);
    const body = await jsonBatch(asked, lookups, { limitPerIp: 20 });
    expect(slices).toEqual([1000]); // the first slice before the answer starts
    const { results } = JSON.parse(await text(body)) as { results: { ip: string }[] };
    expect(slices).toEqual([1000, 1000, 345]);
    expect(results.map((r) => r.ip)).toEqual(asked.map((a) => a.text));
  });

  it('keeps a slice to about 20,000 matches: 20 addresses at limitPerIp 1,000', async () => {
    const { lookups, slices } = recordingLookups();
    await text(await jsonBatch(addresses(200), lookups, { limitPerIp: 1000 }));
    expect(slices).toEqual(Array(10).fill(20));
  });

  it('refuses a batch past the match bound before any lookup, and fails before answering when the first slice does', async () => {
    const { lookups, slices } = recordingLookups();
    await expect(jsonBatch(addresses(201), lookups, { limitPerIp: 1000 })).rejects.toMatchObject({
      code: 'LOOKUP_TOO_LARGE',
    });
    expect(slices).toEqual([]);
    const unknownPlan = recordingLookups(() => notFound.plan('nope'));
    await expect(jsonBatch(addresses(5), unknownPlan.lookups, { limitPerIp: 20 })).rejects.toMatchObject({
      code: 'PLAN_NOT_FOUND',
    });
  });
  it('looks up and writes on the clock it is given: their time adds up to one slice', async () => {
    const { lookups, slices, clocks } = recordingLookups();
    const clock = new TimeSlices();
    await text(await jsonBatch(addresses(2_345), lookups, { limitPerIp: 20 }, clock));
    expect(slices).toHaveLength(3);
    expect(clocks).toEqual([clock, clock, clock]);
  });

  it('writes on the clock it is given: a clock that has run out pauses after every 64 KiB', async () => {
    const { lookups } = recordingLookups();
    let pauses = 0;
    const clock = new (class extends TimeSlices {
      override due() {
        return true;
      }
      override async pause() {
        pauses++;
      }
    })();
    const body = await text(await jsonBatch(addresses(5_000), lookups, { limitPerIp: 20 }, clock));
    // The recording lookups never look at the clock: every pause is the writer's.
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(Buffer.byteLength(body) / (64 * 1024)));
    expect(pauses).toBeGreaterThan(0);
  });

  it('reads its clock at the end of every piece: pieces that arrive together do not share one turn', async () => {
    const { lookups, clocks } = recordingLookups();
    let pauses = 0;
    async function* pieces(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 30; i++) {
        // The stream's clock, once a lookup has been handed it, says every slice has run out.
        const clock = clocks[0];
        if (clock !== undefined && clock.due !== always) {
          clock.due = always;
          clock.pause = async () => {
            pauses++;
          };
        }
        yield Buffer.from(`10.0.0.${i}\n`);
      }
    }
    const answer = await text(lookupLines(pieces(), 'lines', lookups, { limitPerIp: 20 }));
    expect(answer.split('\n')).toHaveLength(31);
    // A pause after each piece but the first (read before the clock was replaced) and the last.
    expect(pauses).toBeGreaterThanOrEqual(28);
  });

  it("gives every lookup of a stream one clock, the stream's own", async () => {
    const { lookups, slices, clocks } = recordingLookups();
    const lines = addresses(2_345)
      .map((a) => `${a.text}\n`)
      .join('');
    const answer = await text(lookupLines(streamOf(lines), 'lines', lookups, { limitPerIp: 20 }));
    expect(answer.split('\n')).toHaveLength(2_346);
    expect(slices.length).toBeGreaterThanOrEqual(3);
    expect(new Set(clocks).size).toBe(1);
    expect(clocks[0]).toBeInstanceOf(TimeSlices);
  });
});

const always = () => true;
