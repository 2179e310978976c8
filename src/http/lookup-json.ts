import type { AddressAnswer, PlanMatch } from '../service/lookup-service.js';
import { ChunkWriter } from './chunk-writer.js';

/** The fixed text between an answer's values, encoded once. */
const PIECES = encoded({
  ip: '{"ip":',
  matches: ',"matches":[',
  matchCount: '],"matchCount":',
  oneWhole: '],"matchCount":1,"truncated":false}',
  predictedOneWhole: '","source":"predicted"}],"matchCount":1,"truncated":false}',
  truncated: ',"truncated":true}',
  whole: ',"truncated":false}',
  planId: '{"planId":',
  planName: ',"planName":',
  role: ',"role":"',
  range: '","range":"',
  quote: '"',
  pool: ',"pool":',
  nodeIndex: ',"nodeIndex":',
  nodeIp: ',"nodeIp":"',
  nodeName: ',"nodeName":',
  predicted: ',"source":"predicted"',
  recorded: ',"source":"recorded"',
  note: ',"note":',
  name: ',"name":',
  pod: ',"pod":{"namespace":',
  podName: ',"name":',
  ownerKind: ',"ownerKind":',
  ownerName: ',"ownerName":',
  interval: ',"interval":{"from":',
  to: ',"to":',
  subnetRole: ',"subnetRole":"',
  close: '}',
  comma: ',',
  null: 'null',
});

/**
 * Lookup answers as JSON, written as the compiled serializer of `LookupResultSchema` writes
 * `presentLookupAnswer(answer)`, byte for byte (a property test holds it to that), without the
 * presenter objects and without building strings: batches and streams write millions of these,
 * and a string per answer cost more to flatten and encode than its bytes (about 1.3 µs each).
 */
export function writeLookupAnswer(out: ChunkWriter, answer: AddressAnswer): void {
  const { matches } = answer;
  const only = matches.length === 1 && answer.matchCount === 1 && !answer.truncated ? matches[0] : undefined;
  if (only !== undefined && isNodeSlotAlone(only)) {
    writeNodeSlotAlone(out, answer.address.text, only);
    return;
  }
  out.bytes(PIECES.ip).jsonString(answer.address.text).bytes(PIECES.matches);
  for (let i = 0; i < matches.length; i++) {
    if (i > 0) out.bytes(PIECES.comma);
    writeMatch(out, matches[i] as PlanMatch);
  }
  // One match, all of it: most answers end so, in one copy.
  if (answer.matchCount === 1 && !answer.truncated) out.bytes(PIECES.oneWhole);
  else {
    out.bytes(PIECES.matchCount).raw(String(answer.matchCount));
    out.bytes(answer.truncated ? PIECES.truncated : PIECES.whole);
  }
}

/**
 * The usual answer of a batch or a stream: one predicted node or pod of an IPv4 node subnet. Its
 * bytes are the general path's, in half the writes: what follows the node IP is one piece.
 */
function writeNodeSlotAlone(out: ChunkWriter, text: string, m: NodeSlotMatch): void {
  const P = PIECES;
  out.bytes(P.ip).jsonString(text).bytes(P.matches).bytes(MATCH_HEADS.of(m));
  out.bytes(P.nodeIndex).digits(m.nodeIndex).bytes(P.nodeIp).ipv4(m.nodeIpv4).bytes(P.predictedOneWhole);
}

type NodeSlotMatch = PlanMatch & { readonly nodeIndex: number; readonly nodeIpv4: number };

/** A predicted match with a node's index and IPv4 node IP, and none of the other optional fields. */
function isNodeSlotAlone(m: PlanMatch): m is NodeSlotMatch {
  return (
    m.nodeIpv4 !== undefined &&
    m.nodeIndex !== undefined &&
    m.source === 'predicted' &&
    m.nodeName === undefined &&
    m.note === undefined &&
    m.name === undefined &&
    m.pod === undefined &&
    m.interval === undefined &&
    m.subnetRole === undefined
  );
}

/** The writer of single answers: one at a time, as `lookupAnswerJson` does not wait. */
const SINGLE = new ChunkWriter(1024);

/** One answer alone, as the body of a single lookup. */
export function lookupAnswerJson(answer: AddressAnswer): string {
  try {
    writeLookupAnswer(SINGLE, answer);
  } catch (error) {
    SINGLE.takeText(); // the next answer starts on an empty writer
    throw error;
  }
  return SINGLE.takeText();
}

/**
 * Fields in the serializer's order: the required ones, then the optional ones, each in the
 * schema's order; absent ones are left out, as the serializer leaves them.
 */
function writeMatch(out: ChunkWriter, m: PlanMatch): void {
  const P = PIECES;
  out.bytes(MATCH_HEADS.of(m));
  if (m.nodeIndex !== undefined) out.bytes(P.nodeIndex).raw(String(m.nodeIndex));
  if (m.nodeIpv4 !== undefined) out.bytes(P.nodeIp).ipv4(m.nodeIpv4).bytes(P.quote);
  else if (m.nodeIp !== undefined) out.bytes(P.nodeIp).raw(m.nodeIp.toString()).bytes(P.quote);
  if (m.nodeName !== undefined) out.bytes(P.nodeName).jsonString(m.nodeName);
  if (m.source !== undefined) out.bytes(m.source === 'predicted' ? P.predicted : P.recorded);
  if (m.note !== undefined) out.bytes(P.note).jsonString(m.note);
  if (m.name !== undefined) out.bytes(P.name).jsonString(m.name);
  const { pod, interval } = m;
  if (pod !== undefined) {
    out.bytes(P.pod).jsonString(pod.namespace).bytes(P.podName).jsonString(pod.name);
    nullable(out.bytes(P.ownerKind), pod.ownerKind);
    nullable(out.bytes(P.ownerName), pod.ownerName).bytes(P.close);
  }
  if (interval !== undefined) {
    out.bytes(P.interval).jsonString(interval.from);
    nullable(out.bytes(P.to), interval.to).bytes(P.close);
  }
  if (m.subnetRole !== undefined) out.bytes(P.subnetRole).raw(m.subnetRole).bytes(P.quote);
  out.bytes(P.close);
}

/**
 * A match's fields up to its pool, encoded once per plan, role and pool. They are most of a
 * match's bytes and the same for every address of a node's pods; written field by field they
 * were about half the cost of writing a batch.
 */
export class MatchHeads {
  private readonly byPlan = new Map<string, MatchHead[]>();
  private bytes = 0;

  constructor(
    /** The encoded heads held, at most: the cache is emptied when it would hold more. */
    private readonly maxBytes: number,
    /** Heads held per plan, at most (roles and pools it was asked of): the oldest goes first. */
    private readonly perPlan: number,
  ) {}

  /** What the heads held cost, in bytes (see costOf). */
  get heldBytes(): number {
    return this.bytes;
  }

  of(m: PlanMatch): Uint8Array {
    const range = m.range.toString();
    const heads = this.byPlan.get(m.planId);
    if (heads !== undefined) {
      for (const head of heads) {
        if (
          head.role === m.role &&
          head.pool === m.pool &&
          head.range === range &&
          head.planName === m.planName
        )
          return head.bytes;
      }
    }
    return this.held(m, range, heads);
  }

  private held(m: PlanMatch, range: string, heads: MatchHead[] | undefined): Uint8Array {
    const bytes = encodeHead(m, range);
    const cost = costOf(bytes);
    if (this.bytes + cost > this.maxBytes) {
      this.byPlan.clear();
      this.bytes = 0;
    }
    const head = { planName: m.planName, role: m.role, range, pool: m.pool, bytes };
    const kept = heads !== undefined && this.byPlan.has(m.planId) ? heads : [];
    const dropped = kept.length >= this.perPlan ? kept.slice(0, 1) : [];
    for (const old of dropped) this.bytes -= costOf(old.bytes);
    // A new array of exactly its heads: a pushed one would hold room for 17.
    this.byPlan.set(m.planId, [...kept.slice(dropped.length), head]);
    this.bytes += cost;
    return bytes;
  }
}

interface MatchHead {
  readonly planName: string;
  readonly role: string;
  readonly range: string;
  readonly pool: string | undefined;
  readonly bytes: Uint8Array;
}

function encodeHead(m: PlanMatch, range: string): Uint8Array {
  const P = PIECES;
  const out = new ChunkWriter(256);
  out.bytes(P.planId).jsonString(m.planId).bytes(P.planName).jsonString(m.planName);
  out.bytes(P.role).raw(m.role).bytes(P.range).raw(range).bytes(P.quote);
  if (m.pool !== undefined) out.bytes(P.pool).jsonString(m.pool);
  // A buffer of its own: a small Buffer is a view of a shared 8 KiB pool block, which it would keep.
  return new Uint8Array(Buffer.concat(out.take()));
}

/**
 * What a held head costs: its bytes, and about 500 more for the objects around them (the typed
 * array and its buffer, the head, its plan's array and map entry). Measured over 24,000 heads:
 * 743 bytes retained each, of which about 110 are ids and names the index holds anyway.
 */
const costOf = (bytes: Uint8Array) => bytes.length + 500;

/** About 8 MiB: the heads of about 12,000 matches (the usual head of 10,000 plans, and more). */
const MATCH_HEADS = new MatchHeads(8 * 1024 * 1024, 8);

const nullable = (out: ChunkWriter, value: string | null) =>
  value === null ? out.bytes(PIECES.null) : out.jsonString(value);

function encoded<K extends string>(pieces: Record<K, string>): Record<K, Uint8Array> {
  const entries = Object.entries<string>(pieces).map(([key, text]) => [key, Buffer.from(text, 'latin1')]);
  return Object.fromEntries(entries) as Record<K, Uint8Array>;
}
