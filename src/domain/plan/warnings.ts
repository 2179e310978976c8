import { AKS } from '../aks-limits.js';
import type { Warning } from '../plugins/plugin-model.js';
import type { PlanSpec } from './spec.js';

/** Warnings every plugin shares: choices AKS accepts but that deserve a second look. */
export function commonWarnings(spec: PlanSpec): Warning[] {
  const warnings: Warning[] = [];
  if (spec.network.dockerBridgeCidr !== undefined) {
    warnings.push({
      code: 'DOCKER_BRIDGE_CIDR_IGNORED',
      message:
        'network.dockerBridgeCidr is kept but ignored: AKS no longer uses a Docker bridge since API 2023-04-01',
    });
  }
  if (spec.network.serviceCidr.endsWith(`/${AKS.minServiceCidrPrefixLength}`)) {
    warnings.push({
      code: 'SERVICE_CIDR_AT_LIMIT',
      message: `a /${AKS.minServiceCidrPrefixLength} service CIDR is the largest AKS accepts; the documentation asks for smaller than /${AKS.minServiceCidrPrefixLength}`,
    });
  }
  return warnings;
}
