import type { IpAddress } from '../ip/index.js';

/** One address a pod held when it was observed. */
export interface PodAddress {
  readonly ip: IpAddress;
  readonly namespace: string;
  readonly pod: string;
  /** The controller that owns the pod (ReplicaSet, StatefulSet, DaemonSet, Job, ...), if any. */
  readonly ownerKind: string | null;
  readonly ownerName: string | null;
  readonly node: string | null;
  /** Host-network pods use their node's IP: recorded, but marked so. */
  readonly hostNetwork: boolean;
}

/** What held an address: the same pod on the same node, with the same address. */
export function holderKey(p: PodAddress): string {
  return holderKeyOf(p.ip.toString(), p.namespace, p.pod, p.node, p.hostNetwork);
}

/**
 * The same key from its parts as a stored row keeps them (the address as canonical text). Joined,
 * not written as a template: a template's concatenations make a tree of strings, which a map
 * keeps whole (about 320 bytes a key against 160 for 50,000 pods), and an import's scavenges
 * copied it.
 */
export function holderKeyOf(
  ip: string,
  namespace: string,
  pod: string,
  node: string | null,
  hostNetwork: boolean,
): string {
  return [ip, namespace, pod, node ?? '', hostNetwork ? 'host' : ''].join('\u0000');
}

/**
 * The addresses an import saw, once each under what held it (holderKey), first sighting first.
 * The key is worked out as each address is read, so that a store compares keys only. Each
 * address has a position, so that a comparison can mark it in an array instead of keeping its
 * key in a set.
 */
export class ObservedPods {
  private readonly positions = new Map<string, number>();
  private readonly pods: PodAddress[] = [];
  private listed = 0;

  /** `pods` keyed; observed pods as they are. */
  static of(pods: Iterable<PodAddress> | ObservedPods): ObservedPods {
    if (pods instanceof ObservedPods) return pods;
    const observed = new ObservedPods();
    for (const pod of pods) observed.add(pod);
    return observed;
  }

  add(pod: PodAddress): void {
    this.listed++;
    const key = holderKey(pod);
    if (this.positions.has(key)) return;
    this.positions.set(key, this.pods.length);
    this.pods.push(pod);
  }

  /** The position of the address held under `key` (0 for the first sighting), or -1. */
  positionOf(key: string): number {
    return this.positions.get(key) ?? -1;
  }

  /** The address at `position`. */
  at(position: number): PodAddress | undefined {
    return this.pods[position];
  }

  /** Every address the list gave, repeats included (an import's `seen`). */
  get count(): number {
    return this.listed;
  }

  /** The distinct addresses: one per key. */
  get size(): number {
    return this.pods.length;
  }

  values(): IterableIterator<PodAddress> {
    return this.pods.values();
  }
}
