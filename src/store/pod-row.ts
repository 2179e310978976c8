import { Cidr, IpAddress } from '../domain/ip/index.js';
import type { RealNode } from '../domain/nodes/real-node.js';
import type { AddressInterval } from '../domain/pods/address-history.js';
import type { PodAddress } from '../domain/pods/pod-address.js';
import { holderKeyOf } from '../domain/pods/pod-address.js';
import type { RecordedInterval } from '../domain/records/plan-records.js';

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

/** What an import compares of a plan's open rows: what held each address, and the row to close. */
export type OpenRow = Pick<PodRow, 'seq' | 'ip' | 'namespace' | 'pod' | 'node' | 'host_network'>;

export const OPEN_COLUMNS = 'seq, ip, namespace, pod, node, host_network';

/** The holder's key of an open row, as the stored text has it (no address parsed). */
export const openRowKey = (row: OpenRow): string =>
  holderKeyOf(row.ip, row.namespace, row.pod, row.node, row.host_network === 1);

/** An interval as stored, with its row number (for closing it, and for pages). */
export interface StoredInterval extends AddressInterval {
  readonly seq: number;
}

export function toInterval(row: PodRow): StoredInterval {
  return { ...heldBy(row), ip: IpAddress.parse(row.ip) };
}

/** What held the row's address, and when. */
function heldBy(row: PodRow) {
  return {
    seq: Number(row.seq),
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

/** The columns a plan's in-memory records read: a row, and the import that closed it. */
export const RECORDED_COLUMNS = `${POD_COLUMNS}, closed_by`;

/** A row for a plan's in-memory records, with the import that closed it (the next page's cursor). */
export interface RecordedRow extends RecordedInterval {
  readonly closedBy: number | null;
}

/** A row as a plan's in-memory records read it: the address stays text. */
export function toRecorded(row: PodRow & { closed_by: number | string | null }): RecordedRow {
  return { ...heldBy(row), ip: row.ip, closedBy: row.closed_by === null ? null : Number(row.closed_by) };
}

/** What a plan's records in memory read from the store: its count of pod imports (read first), and rows. */
export interface RecordedRows {
  readonly imports: number;
  /** How often retention has deleted rows of the plan: when it moved, a catch-up cannot serve. */
  readonly pruned: number;
  readonly rows: readonly RecordedRow[];
}

/** Where a page of closed rows starts: after this row of this import's closes. */
export interface ClosedCursor {
  readonly closedBy: number;
  readonly seq: number;
}

/** The values of a new open interval, in the INSERT's column order (after plan_id). */
export function intervalValues(p: PodAddress, from: string): (string | number | null)[] {
  return [p.ip.toString(), p.namespace, p.pod, p.ownerKind, p.ownerName, p.node, p.hostNetwork ? 1 : 0, from];
}

/** The point-in-time read: each interval with its node's record (a join), where the node is recorded. */
export const HELD_COLUMNS = `${POD_COLUMNS.split(', ')
  .map((c) => `a.${c}`)
  .join(', ')}, n.pool AS node_pool, n.node_ip AS node_ip, n.pod_cidr AS node_pod_cidr`;

/** pod_addresses a joined to plan_nodes n on the pod's node. */
export const HELD_FROM =
  'pod_addresses a LEFT JOIN plan_nodes n ON n.plan_id = a.plan_id AND n.name = a.node';

export interface HeldRow extends PodRow {
  node_pool: string | null;
  node_ip: string | null;
  node_pod_cidr: string | null;
}

/** An interval with the record of its node: a lookup names the node's pool and slot from it. */
export interface HeldInterval extends StoredInterval {
  readonly nodeRecord: RealNode | null;
}

export function toHeld(row: HeldRow): HeldInterval {
  const nodeRecord =
    row.node === null || row.node_pool === null
      ? null
      : {
          name: row.node,
          pool: row.node_pool,
          nodeIp: row.node_ip === null ? null : IpAddress.parse(row.node_ip),
          podCidr: row.node_pod_cidr === null ? null : Cidr.parse(row.node_pod_cidr),
        };
  return { ...toInterval(row), nodeRecord };
}
