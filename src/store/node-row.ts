import { DomainError } from '../domain/errors.js';
import { bitsOf, Cidr, IpAddress } from '../domain/ip/index.js';
import type { RealNode } from '../domain/nodes/real-node.js';

/** A plan_nodes row as both stores read it. */
export interface NodeRow {
  name: string;
  pool: string;
  node_ip: string | null;
  pod_cidr: string | null;
  ipv6_pod_cidr: string | null;
}

export const NODE_COLUMNS = 'name, pool, node_ip, pod_cidr, ipv6_pod_cidr';

export function toNode(row: NodeRow): RealNode {
  return {
    name: row.name,
    pool: row.pool,
    nodeIp: row.node_ip === null ? null : IpAddress.parse(row.node_ip),
    podCidr: row.pod_cidr === null ? null : Cidr.parse(row.pod_cidr),
    ...(row.ipv6_pod_cidr === null ? {} : { ipv6PodCidr: Cidr.parse(row.ipv6_pod_cidr) }),
  };
}

/** Every CIDR that could hold `address`, as canonical text: how a pod CIDR is found by address. */
export function enclosingCidrs(address: IpAddress): string[] {
  return Array.from({ length: bitsOf(address.family) + 1 }, (_, length) =>
    Cidr.containing(address, length).toString(),
  );
}

/**
 * A node import observed before the plan's last recorded node would roll the plan's nodes back
 * (a delayed job, a retried pipeline): both stores refuse it, as they refuse such a pod import.
 */
export function checkNodeImportTime(at: string, last: string | null | undefined): void {
  if (last == null || at >= last) return;
  throw DomainError.invalid(
    'OBSERVED_AT_INVALID',
    'observedAt',
    `observedAt ${at} is before this plan's nodes were last recorded (${last}): node imports go forward in time`,
  );
}
