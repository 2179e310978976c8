import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PLATFORM_ROLES } from '../../src/domain/design/platform-roles.js';
import { Cidr, IpAddress } from '../../src/domain/ip/index.js';
import { parseLookupAddress } from '../../src/domain/lookup/lookup-address.js';
import { ChunkWriter } from '../../src/http/chunk-writer.js';
import { compiledSerializer } from '../../src/http/compiled-serializer.js';
import { lookupAnswerJson, MatchHeads, writeLookupAnswer } from '../../src/http/lookup-json.js';
import { LookupResultSchema } from '../../src/http/schemas/lookup.js';
import type { AddressAnswer, PlanMatch } from '../../src/service/lookup-service.js';

const serialize = compiledSerializer({ schema: LookupResultSchema });

/** The reference: the answer as the schema's type, every field named, written by the serializer. */
function presentLookupAnswer(answer: AddressAnswer): z.input<typeof LookupResultSchema> {
  return {
    ip: answer.address.text,
    matches: answer.matches.map((m) => ({
      planId: m.planId,
      planName: m.planName,
      role: m.role,
      pool: m.pool,
      nodeIndex: m.nodeIndex,
      nodeIp: m.nodeIp?.toString(),
      nodeName: m.nodeName,
      source: m.source,
      range: m.range.toString(),
      note: m.note,
      name: m.name,
      pod: m.pod,
      interval: m.interval,
      subnetRole: m.subnetRole,
    })),
    matchCount: answer.matchCount,
    truncated: answer.truncated,
  };
}

const ipv4 = fc.nat(0xffffffff).map((n) => IpAddress.ipv4(n));
const ipv6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((n) => IpAddress.of(6, n));
const address = fc.oneof(ipv4, ipv6);

/** Names as the service stores them, and now and then any text at all. */
const name = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/), fc.string({ unit: 'grapheme' }));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** A few plans met again and again, renamed now and then: the writer's cached heads must not show. */
const fewIds = fc.constantFrom('p1', 'p2', 'p3');
const fewNames = fc.constantFrom('one', 'two', 'é"\\');

const fields = fc.record({
  planId: fc.oneof(fc.uuid(), name, fewIds),
  planName: fc.oneof(name, fewNames),
  role: fc.constantFrom('node', 'pod', 'azure-reserved', 'service', 'platform-subnet', 'firewall'),
  kind: fc.constant('node-subnet' as const),
  range: fc.tuple(address, fc.nat(32)).map(([a, n]) => Cidr.containing(a, a.family === 4 ? n : n * 4)),
  pool: optional(name),
  nodeIndex: optional(fc.nat(5000)),
  nodeIp: optional(address),
  nodeName: optional(name),
  source: optional(fc.constantFrom('recorded' as const, 'predicted' as const)),
  note: optional(fc.string({ unit: 'grapheme' })),
  name: optional(name),
  pod: optional(
    fc.record({
      namespace: name,
      name,
      ownerKind: fc.option(name, { nil: null }),
      ownerName: fc.option(name, { nil: null }),
    }),
  ),
  interval: optional(fc.record({ from: name, to: fc.option(name, { nil: null }) })),
  subnetRole: optional(fc.constantFrom(...PLATFORM_ROLES)),
});

/** Matches from the layout carry an IPv4 node IP as a number too, as the lookup service makes them. */
const matchArb: fc.Arbitrary<PlanMatch> = fc
  .tuple(fields, fc.boolean())
  .map(([m, asNumber]) =>
    asNumber && m.nodeIp?.family === 4 ? { ...m, nodeIpv4: Number(m.nodeIp.value) } : m,
  );

const answerArb: fc.Arbitrary<AddressAnswer> = fc
  .record({ ip: address, matches: fc.array(matchArb, { maxLength: 4 }), more: fc.nat(3) })
  .map(({ ip, matches, more }) => ({
    address: parseLookupAddress(ip.toString()) ?? fail(ip),
    matches,
    matchCount: matches.length + more,
    truncated: more > 0,
  }));

function fail(ip: IpAddress): never {
  throw new Error(`${ip.toString()} should parse`);
}

/** A value for each optional field, where the generated match left it out. */
const SOME = {
  nodeName: 'aks-system-0',
  note: 'a note',
  name: 'a name',
  pod: { namespace: 'ns', name: 'p', ownerKind: null, ownerName: null },
  interval: { from: '2026-12-01T00:00:00Z', to: null },
  subnetRole: 'firewall',
} as const;

describe('the lookup answer writer', () => {
  it("writes what the schema's compiled serializer writes of the presented answer", () => {
    fc.assert(
      fc.property(answerArb, (answer) => {
        const written = lookupAnswerJson(answer);
        const expected = serialize(presentLookupAnswer(answer));
        expect(JSON.parse(written)).toEqual(JSON.parse(expected));
        // Names and ids as the service stores them (printable ASCII) come out byte for byte.
        const plain = (text: string | undefined) => text === undefined || /^[\x20-\x7e]*$/.test(text);
        const texts = answer.matches.flatMap((m) => [m.planId, m.planName, m.pool, m.nodeName, m.note]);
        if (texts.every(plain)) expect(written).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('writes the usual answer, one predicted node slot of an IPv4 subnet, as the serializer does', () => {
    // The shape the writer takes a shorter path for, and shapes one field away from it.
    const slot = fc
      .record({
        m: fields,
        nodeIpv4: fc.nat(0xffffffff),
        nodeIndex: fc.oneof(fc.nat(9), fc.nat(100_000)),
        extra: fc.constantFrom('none', 'nodeName', 'note', 'name', 'pod', 'interval', 'subnetRole', 'source'),
      })
      .map(({ m, nodeIpv4, nodeIndex, extra }): PlanMatch => {
        const lone: PlanMatch = {
          planId: m.planId,
          planName: m.planName,
          role: m.role,
          kind: m.kind,
          range: m.range,
          pool: m.pool,
          nodeIndex,
          nodeIp: IpAddress.ipv4(nodeIpv4),
          nodeIpv4,
          source: 'predicted',
        };
        if (extra === 'none') return lone;
        if (extra === 'source') return { ...lone, source: 'recorded' };
        return { ...lone, [extra]: m[extra] ?? SOME[extra] };
      });
    const lone = fc.record({ ip: ipv4, m: slot, more: fc.constantFrom(0, 0, 0, 1) }).map(
      ({ ip, m, more }): AddressAnswer => ({
        address: parseLookupAddress(ip.toString()) ?? fail(ip),
        matches: [m],
        matchCount: 1 + more,
        truncated: more > 0,
      }),
    );
    fc.assert(
      fc.property(lone, (answer) => {
        const written = lookupAnswerJson(answer);
        const expected = serialize(presentLookupAnswer(answer));
        expect(JSON.parse(written)).toEqual(JSON.parse(expected));
        // Byte for byte (field order included) where the texts need no escaping choices.
        const [m] = answer.matches;
        const texts = [m?.planId, m?.planName, m?.pool, m?.nodeName, m?.note, m?.name];
        if (texts.every((t) => t === undefined || /^[\x20-\x7e]*$/.test(t))) expect(written).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('starts each single answer afresh, also after one that failed to write', () => {
    fc.assert(
      fc.property(answerArb, (answer) => {
        const expected = lookupAnswerJson(answer);
        const broken = { ...answer, matches: [null as unknown as PlanMatch] };
        expect(() => lookupAnswerJson(broken)).toThrow();
        expect(lookupAnswerJson(answer)).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('writes answers one after another across buffers as each alone', () => {
    fc.assert(
      fc.property(fc.array(answerArb, { minLength: 1, maxLength: 40 }), fc.nat(300), (answers, padding) => {
        const out = new ChunkWriter(64);
        // Text before the answers puts their bytes at every offset of the buffers' ends.
        out.raw('x'.repeat(padding));
        for (const answer of answers) writeLookupAnswer(out, answer);
        const alone = answers.map((answer) => lookupAnswerJson(answer)).join('');
        expect(Buffer.concat(out.take()).toString()).toBe('x'.repeat(padding) + alone);
      }),
      { numRuns: 200 },
    );
  });

  it('holds each head of a match as written field by field, within its bounds', () => {
    const head = fc.record({
      planId: fewIds,
      planName: fewNames,
      role: fc.constantFrom('node', 'pod'),
      range: fc.constantFrom(Cidr.parse('10.0.0.0/24'), Cidr.parse('10.0.1.0/24')),
      pool: fc.constantFrom(undefined, 'system', 'user'),
    });
    fc.assert(
      fc.property(fc.array(head, { minLength: 1, maxLength: 60 }), (matches) => {
        const heads = new MatchHeads(2400, 3); // a few heads: evictions on most runs
        for (const m of matches) {
          const { pool, ...required } = m;
          const fieldByField = JSON.stringify({
            ...required,
            range: m.range.toString(),
            ...(pool && { pool }),
          });
          const written = Buffer.from(heads.of(m as unknown as PlanMatch)).toString();
          expect(written).toBe(fieldByField.slice(0, -1));
          expect(heads.heldBytes).toBeLessThanOrEqual(2400);
        }
      }),
      { numRuns: 300 },
    );
  });
});
