import type { AddressAnswer, PlanMatch } from '../service/lookup-service.js';
import { ChunkWriter } from './chunk-writer.js';

/**
 * Lookup answers as JSON, written as the compiled serializer of `LookupResultSchema` writes
 * `presentLookupAnswer(answer)`, byte for byte (a property test holds it to that), without the
 * presenter objects and without building strings: batches and streams write millions of these,
 * and a string per answer cost more to flatten and encode than its bytes (about 1.3 µs each).
 */
export function writeLookupAnswer(out: ChunkWriter, answer: AddressAnswer): void {
  const { matches } = answer;
  out.raw('{"ip":').jsonString(answer.address.text).raw(',"matches":[');
  for (let i = 0; i < matches.length; i++) {
    if (i > 0) out.raw(',');
    writeMatch(out, matches[i] as PlanMatch);
  }
  out.raw('],"matchCount":').raw(String(answer.matchCount));
  out.raw(answer.truncated ? ',"truncated":true}' : ',"truncated":false}');
}

/** One answer alone, as the body of a single lookup. */
export function lookupAnswerJson(answer: AddressAnswer): Buffer {
  const out = new ChunkWriter(1024);
  writeLookupAnswer(out, answer);
  const parts = out.take();
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/**
 * Fields in the serializer's order: the required ones, then the optional ones, each in the
 * schema's order; absent ones are left out, as the serializer leaves them.
 */
function writeMatch(out: ChunkWriter, m: PlanMatch): void {
  out.raw('{"planId":').jsonString(m.planId).raw(',"planName":').jsonString(m.planName);
  out.raw(',"role":"').raw(m.role).raw('","range":"').raw(m.range.toString()).raw('"');
  if (m.pool !== undefined) out.raw(',"pool":').jsonString(m.pool);
  if (m.nodeIndex !== undefined) out.raw(',"nodeIndex":').raw(String(m.nodeIndex));
  if (m.nodeIpv4 !== undefined) out.raw(',"nodeIp":"').ipv4(m.nodeIpv4).raw('"');
  else if (m.nodeIp !== undefined) out.raw(',"nodeIp":"').raw(m.nodeIp.toString()).raw('"');
  if (m.nodeName !== undefined) out.raw(',"nodeName":').jsonString(m.nodeName);
  if (m.source !== undefined) out.raw(',"source":"').raw(m.source).raw('"');
  if (m.note !== undefined) out.raw(',"note":').jsonString(m.note);
  if (m.name !== undefined) out.raw(',"name":').jsonString(m.name);
  const { pod, interval } = m;
  if (pod !== undefined) {
    out.raw(',"pod":{"namespace":').jsonString(pod.namespace).raw(',"name":').jsonString(pod.name);
    out.raw(',"ownerKind":');
    nullable(out, pod.ownerKind).raw(',"ownerName":');
    nullable(out, pod.ownerName).raw('}');
  }
  if (interval !== undefined) {
    out.raw(',"interval":{"from":').jsonString(interval.from).raw(',"to":');
    nullable(out, interval.to).raw('}');
  }
  if (m.subnetRole !== undefined) out.raw(',"subnetRole":"').raw(m.subnetRole).raw('"');
  out.raw('}');
}

const nullable = (out: ChunkWriter, value: string | null) =>
  value === null ? out.raw('null') : out.jsonString(value);
