import type { AddressAnswer, PlanMatch } from '../service/lookup-service.js';
import type { ChunkWriter } from './chunk-writer.js';

/**
 * Lookup answers as JSON, written as the compiled serializer of `LookupResultSchema` writes
 * `presentLookupAnswer(answer)`, byte for byte (a property test holds it to that), without the
 * presenter objects: batches and streams write millions of these.
 */
export function lookupAnswerJson(answer: AddressAnswer): string {
  const { matches } = answer;
  let text = `{"ip":${jsonString(answer.address.text)},"matches":[`;
  for (let i = 0; i < matches.length; i++) {
    if (i > 0) text += ',';
    text += matchJson(matches[i] as PlanMatch);
  }
  return `${text}],"matchCount":${answer.matchCount},"truncated":${answer.truncated}}`;
}

/** The same into a writer: one short string per answer, copied once into the body's buffers. */
export function writeLookupAnswer(out: ChunkWriter, answer: AddressAnswer): void {
  out.utf8(lookupAnswerJson(answer));
}

/**
 * Fields in the serializer's order: the required ones, then the optional ones, each in the
 * schema's order; absent ones are left out, as the serializer leaves them.
 */
function matchJson(m: PlanMatch): string {
  let text = `{"planId":${jsonString(m.planId)},"planName":${jsonString(m.planName)},"role":"${m.role}","range":"${m.range.toString()}"`;
  if (m.pool !== undefined) text += `,"pool":${jsonString(m.pool)}`;
  if (m.nodeIndex !== undefined) text += `,"nodeIndex":${m.nodeIndex}`;
  if (m.nodeIpv4 !== undefined) text += `,"nodeIp":"${ipv4Text(m.nodeIpv4)}"`;
  else if (m.nodeIp !== undefined) text += `,"nodeIp":"${m.nodeIp.toString()}"`;
  if (m.nodeName !== undefined) text += `,"nodeName":${jsonString(m.nodeName)}`;
  if (m.source !== undefined) text += `,"source":"${m.source}"`;
  if (m.note !== undefined) text += `,"note":${jsonString(m.note)}`;
  if (m.name !== undefined) text += `,"name":${jsonString(m.name)}`;
  const { pod, interval } = m;
  if (pod !== undefined) {
    text += `,"pod":{"namespace":${jsonString(pod.namespace)},"name":${jsonString(pod.name)},"ownerKind":${nullable(pod.ownerKind)},"ownerName":${nullable(pod.ownerName)}}`;
  }
  if (interval !== undefined)
    text += `,"interval":{"from":${jsonString(interval.from)},"to":${nullable(interval.to)}}`;
  if (m.subnetRole !== undefined) text += `,"subnetRole":"${m.subnetRole}"`;
  return `${text}}`;
}

const nullable = (value: string | null) => (value === null ? 'null' : jsonString(value));

function ipv4Text(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** Printable ASCII without a quote or a backslash needs no escaping: names and ids always are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}
