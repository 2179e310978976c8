import { AKS } from '../../aks-limits.js';
import { counted } from '../../capacity/numbers.js';
import { gatewayPrefixNodes } from '../../design/pool-size.js';
import type { ProblemCollector } from '../../design/problems.js';
import type { NodePoolSpec, PlanSpec } from '../../design/spec.js';

/**
 * Static egress gateway pools (configure-static-egress-gateway): Linux only, a fixed node count
 * (no autoscaler), not in a cluster with Azure CNI Pod Subnet nor in a dual-stack one ("supports
 * IPv4-only clusters"), and each node takes one address of the pool's public IP prefix, so the
 * prefix caps the pool ("a /30 prefix supports up to 4 nodes"). The prefix length belongs to
 * Gateway pools only.
 */
export function checkGatewayPools(spec: PlanSpec, problems: ProblemCollector): void {
  spec.nodePools.forEach((pool, i) => {
    const at = `nodePools[${i}]`;
    if (pool.mode !== 'Gateway') {
      if (pool.gatewayPrefixSize !== undefined)
        problems.add(
          'GATEWAY_PREFIX_SIZE_INVALID',
          `${at}.gatewayPrefixSize`,
          `gatewayPrefixSize belongs to Gateway pools; pool "${pool.name}" is a ${pool.mode} pool`,
        );
      return;
    }
    checkGatewayPool(pool, at, spec, problems);
  });
}

function checkGatewayPool(pool: NodePoolSpec, at: string, spec: PlanSpec, problems: ProblemCollector): void {
  const unsupported =
    spec.network.plugin === 'azure-cni-pod-subnet'
      ? 'with azure-cni-pod-subnet'
      : spec.network.ipFamilies?.includes('ipv6') === true
        ? 'in a dual-stack cluster'
        : undefined;
  if (unsupported !== undefined)
    problems.add(
      'GATEWAY_POOL_NOT_SUPPORTED',
      `${at}.mode`,
      `pool "${pool.name}": static egress gateway pools are not supported ${unsupported}`,
    );
  if (pool.osType !== 'Linux')
    problems.add('GATEWAY_POOL_INVALID', `${at}.osType`, `Gateway pool "${pool.name}" must run Linux`);
  for (const field of ['minCount', 'maxCount'] as const) {
    if (pool[field] !== undefined)
      problems.add(
        'GATEWAY_POOL_INVALID',
        `${at}.${field}`,
        `Gateway pool "${pool.name}" has a fixed node count: the autoscaler does not run on it`,
      );
  }
  const { min, max } = AKS.gatewayPrefixSize;
  const prefix = pool.gatewayPrefixSize ?? AKS.gatewayPrefixSize.default;
  const holds = gatewayPrefixNodes(prefix);
  if (holds === undefined) {
    problems.add(
      'GATEWAY_PREFIX_SIZE_INVALID',
      `${at}.gatewayPrefixSize`,
      `gatewayPrefixSize ${prefix} must be a whole prefix length from ${min} to ${max}`,
    );
    return;
  }
  if (pool.nodeCount > holds)
    problems.add(
      'GATEWAY_PREFIX_TOO_SMALL',
      `${at}.nodeCount`,
      `Gateway pool "${pool.name}" has ${counted(pool.nodeCount, 'node')}, but a /${prefix} public IP prefix holds ${counted(holds, 'node')} (one address each)`,
    );
}
