import { IpAddress } from '../domain/ip/index.js';
import type { AddressInterval } from '../domain/pods/address-history.js';
import type { PodAddress } from '../domain/pods/kubectl-pods.js';

/** A pod_addresses row as both stores read it. */
export interface PodRow {
  seq: number | string;
  ip: string;
  namespace: string;
  pod: string;
  owner_kind: string | null;
  owner_name: string | null;
  node: string | null;
  host_network: number;
  from_at: string;
  to_at: string | null;
}

export const POD_COLUMNS =
  'seq, ip, namespace, pod, owner_kind, owner_name, node, host_network, from_at, to_at';

/** An interval as stored, with its row number (for closing it, and for pages). */
export interface StoredInterval extends AddressInterval {
  readonly seq: number;
}

export function toInterval(row: PodRow): StoredInterval {
  return {
    seq: Number(row.seq),
    ip: IpAddress.parse(row.ip),
    namespace: row.namespace,
    pod: row.pod,
    ownerKind: row.owner_kind,
    ownerName: row.owner_name,
    node: row.node,
    hostNetwork: row.host_network === 1,
    from: row.from_at,
    to: row.to_at,
  };
}

/** The values of a new open interval, in the INSERT's column order (after plan_id). */
export function intervalValues(p: PodAddress, from: string): (string | number | null)[] {
  return [p.ip.toString(), p.namespace, p.pod, p.ownerKind, p.ownerName, p.node, p.hostNetwork ? 1 : 0, from];
}
