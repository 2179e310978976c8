import type { PlanInput } from '../design/spec.js';

/**
 * A replacement that sends back the node subnet AKS's own VNet gave the plan (a client PUTting
 * the `spec` it read) still means AKS's VNet: the subnet is taken as defaulted again. Given as
 * a value, it would move the cluster into a VNet of the client's own, which AKS cannot do to a
 * running cluster, and which changes what the design may hold (a managed NAT gateway) and what
 * its exports create.
 */
export function keepManagedVnet(
  input: PlanInput,
  previous: { readonly defaultsApplied: readonly string[]; readonly nodeSubnet: string | undefined },
): PlanInput {
  const sent = input.network?.nodeSubnet;
  if (!previous.defaultsApplied.includes('network.nodeSubnet') || sent !== previous.nodeSubnet) return input;
  const { nodeSubnet: _managed, ...network } = input.network ?? {};
  return { ...input, network };
}
