import type { PlanSpec } from './spec.js';

/**
 * What a userDefinedRouting design puts in the cluster's route table, read from the design
 * alone: a default route to the firewall when the firewall is known (its private IP given, or an
 * AzureFirewallSubnet in the VNet), and the DNAT return route for its public IP when public
 * load balancer services are exposed through it (aks-networking.md section 7).
 */
export function udrNextHopKnown(spec: PlanSpec): boolean {
  return (
    spec.outbound?.type === 'userDefinedRouting' &&
    (spec.outbound.firewallPrivateIp !== undefined ||
      (spec.platformSubnets ?? []).some((s) => s.role === 'azure-firewall'))
  );
}

/** The `<firewall public IP>/32 -> Internet` route that keeps DNATed services symmetric. */
export function hasDnatReturnRoute(spec: PlanSpec): boolean {
  return (
    udrNextHopKnown(spec) &&
    spec.outbound?.firewallPublicIp !== undefined &&
    (spec.outbound.publicLoadBalancerServices ?? 0) > 0
  );
}

/** Routes of the design's own in the cluster's route table, beside kubenet's per-node routes. */
export function customRouteCount(spec: PlanSpec): number {
  return (udrNextHopKnown(spec) ? 1 : 0) + (hasDnatReturnRoute(spec) ? 1 : 0);
}
