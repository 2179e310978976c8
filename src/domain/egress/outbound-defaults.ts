import type { DefaultsRecorder } from '../design/defaults-recorder.js';
import type { OutboundInput, OutboundSpec } from '../design/spec.js';
import { EGRESS, isNatGateway } from './outbound-limits.js';

/**
 * Completes an outbound section with its type's defaults. Only a given section is completed:
 * without one, the plan says nothing about egress, as the public contract has it.
 */
export function outboundDefaults(given: OutboundInput, recorder: DefaultsRecorder): OutboundSpec {
  const type = recorder.take('outbound.type', given.type, 'loadBalancer');
  const spec: OutboundSpec = { ...given, type };
  if (type === 'loadBalancer') {
    spec.managedOutboundIps = recorder.take('outbound.managedOutboundIps', given.managedOutboundIps, 1);
    spec.allocatedOutboundPorts = recorder.take(
      'outbound.allocatedOutboundPorts',
      given.allocatedOutboundPorts,
      0,
    );
    spec.idleTimeoutMinutes = recorder.take(
      'outbound.idleTimeoutMinutes',
      given.idleTimeoutMinutes,
      EGRESS.defaultLoadBalancerIdleTimeout,
    );
  } else if (isNatGateway(type)) {
    spec.managedOutboundIps = recorder.take('outbound.managedOutboundIps', given.managedOutboundIps, 1);
    spec.idleTimeoutMinutes = recorder.take(
      'outbound.idleTimeoutMinutes',
      given.idleTimeoutMinutes,
      EGRESS.defaultNatGatewayIdleTimeout,
    );
  }
  spec.publicLoadBalancerServices = recorder.take(
    'outbound.publicLoadBalancerServices',
    given.publicLoadBalancerServices,
    0,
  );
  return spec;
}
