import type { ProblemCollector } from '../design/problems.js';
import type { PlanSpec } from '../design/spec.js';
import { EGRESS } from './outbound-limits.js';

/** Fields each outbound type takes beyond `type` and `publicLoadBalancerServices`. */
const FIELDS: Record<string, readonly string[]> = {
  loadBalancer: ['managedOutboundIps', 'allocatedOutboundPorts', 'idleTimeoutMinutes'],
  managedNATGateway: ['managedOutboundIps', 'idleTimeoutMinutes'],
  userAssignedNATGateway: ['managedOutboundIps', 'idleTimeoutMinutes'],
  userDefinedRouting: [],
};
const TYPE_FIELDS = ['managedOutboundIps', 'allocatedOutboundPorts', 'idleTimeoutMinutes'] as const;

/** What AKS refuses in an outbound section, for its type. */
export function checkOutbound(spec: PlanSpec, problems: ProblemCollector): void {
  const outbound = spec.outbound;
  if (outbound === undefined) return;
  const allowed = FIELDS[outbound.type] ?? [];
  for (const field of TYPE_FIELDS) {
    if (outbound[field] !== undefined && !allowed.includes(field)) {
      problems.add(
        'FIELD_NOT_FOR_OUTBOUND_TYPE',
        `outbound.${field}`,
        `outbound.${field} does not apply to outbound type ${outbound.type}`,
      );
    }
  }
  const ips = outbound.type === 'loadBalancer' ? EGRESS.loadBalancerIps : EGRESS.natGatewayIps;
  const count = outbound.managedOutboundIps;
  if (count !== undefined && allowed.includes('managedOutboundIps') && (count < ips.min || count > ips.max)) {
    problems.add(
      'OUTBOUND_IPS_OUT_OF_RANGE',
      'outbound.managedOutboundIps',
      `${count} outbound IPs is outside ${ips.min}-${ips.max} for ${outbound.type}`,
    );
  }
  const ports = outbound.allocatedOutboundPorts;
  if (ports !== undefined && (ports % EGRESS.portGranularity !== 0 || ports > EGRESS.maxAllocatedPorts)) {
    problems.add(
      'OUTBOUND_PORTS_INVALID',
      'outbound.allocatedOutboundPorts',
      `allocatedOutboundPorts ${ports} must be 0 or a multiple of ${EGRESS.portGranularity} up to ${EGRESS.maxAllocatedPorts}`,
    );
  }
  const idle = outbound.idleTimeoutMinutes;
  const { min, max } = EGRESS.idleTimeout;
  if (idle !== undefined && (idle < min || idle > max)) {
    problems.add(
      'IDLE_TIMEOUT_OUT_OF_RANGE',
      'outbound.idleTimeoutMinutes',
      `idle timeout ${idle} minutes is outside ${min}-${max}`,
    );
  }
  if (outbound.type === 'managedNATGateway' && spec.network.vnetAddressSpace !== undefined) {
    problems.add(
      'MANAGED_NAT_GATEWAY_WITH_CUSTOM_VNET',
      'outbound.type',
      'a managed NAT gateway needs the VNet AKS creates; with your own VNet (vnetAddressSpace) use userAssignedNATGateway',
    );
  }
}
