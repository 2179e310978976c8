/**
 * Wraps a store (or a space store) so that `move` runs before each of the named writes reaches
 * it: a change another request or replica makes between a service's last read and its write
 * (on PostgreSQL they are separate round trips).
 */
export function movedBeforeWrites<T extends object>(
  target: T,
  writes: readonly (keyof T)[],
  move: () => Promise<void>,
): T {
  return new Proxy(target, {
    get(inner, key, receiver) {
      const value = Reflect.get(inner, key, receiver);
      if (!writes.includes(key as keyof T)) return value;
      return async (...args: unknown[]) => {
        await move();
        return (value as (...a: unknown[]) => unknown).apply(inner, args);
      };
    },
  });
}

/** A small pod-subnet design, for tests that record nodes and pods into a plan named dyn. */
export const DYN_DESIGN = {
  name: 'dyn',
  network: {
    plugin: 'azure-cni-pod-subnet' as const,
    nodeSubnet: '10.241.0.0/22',
    podSubnet: '10.240.0.0/16',
  },
  nodePools: [{ name: 'system', nodeCount: 3 }],
};
