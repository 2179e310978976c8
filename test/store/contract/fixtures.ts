import type { PlanInput } from '../../../src/domain/design/spec.js';
import { DomainError } from '../../../src/domain/errors.js';
import { Cidr, IpAddress } from '../../../src/domain/ip/index.js';
import { planDesign } from '../../../src/domain/plan/planner.js';
import type { PodAddress } from '../../../src/domain/pods/pod-address.js';
import type { AllocationRequest } from '../../../src/domain/space/allocation-request.js';
import type { PlanWrite } from '../../../src/store/plan-store.js';
import type { Store } from '../../../src/store/store.js';

/** The store under test in the running test: opened before each test, closed after. */
export type CurrentStore = () => Store;

/** The DomainError a promise rejects with; anything else fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

/** A request for the lowest free IPv4 block of a prefix length. */
export const size = (prefixLength: number): AllocationRequest => ({ kind: 'size', family: 4, prefixLength });

/** A request for one exact CIDR. */
export const exactly = (cidr: string): AllocationRequest => ({ kind: 'cidr', cidr: Cidr.parse(cidr) });

/** A space write with one or more CIDRs. */
export const spaceWrite = (name: string, ...cidrs: string[]) => ({
  name,
  description: null,
  cidrs: cidrs.map((c) => Cidr.parse(c)),
  labels: {},
});

/** A valid node-subnet design whose write the store can take. */
export function planWrite(
  name: string,
  nodeSubnet = '10.240.0.0/24',
  overrides: Partial<PlanInput> = {},
): PlanWrite {
  const design = planDesign({
    name,
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
    ...overrides,
    network: { plugin: 'azure-cni-node-subnet', ...overrides.network, nodeSubnet },
  });
  return {
    spec: design.spec,
    defaultsApplied: design.defaultsApplied,
    ranges: design.model.ranges(),
    labels: {},
  };
}

/** A clock tests move by hand, handing out numbered ids. */
export class TestClock {
  private time = 0;
  private next = 0;

  reset(): void {
    this.time = Date.parse('2026-01-05T09:00:00.000Z');
    this.next = 0;
  }

  now = (): Date => new Date(this.time);
  newId = (): string => `00000000-0000-4000-8000-${(++this.next).toString(16).padStart(12, '0')}`;

  advance(ms: number): void {
    this.time += ms;
  }

  /** The next id handed out is numbered `n`: ids then need not follow creation order. */
  nextIdIs(n: number): void {
    this.next = n - 1;
  }
}

/** `count` running pods of one ReplicaSet on one node, at 10.240.1.0 on. */
export const podsOnOneNode = (count: number): PodAddress[] =>
  Array.from({ length: count }, (_, k) => ({
    ip: IpAddress.parse(`10.240.${1 + (k >> 8)}.${k & 255}`),
    namespace: 'shop',
    pod: `web-${k}`,
    ownerKind: 'ReplicaSet',
    ownerName: 'web',
    node: 'aks-system-0',
    hostNetwork: false,
  }));
