import { AKS, AZURE_SUBNET } from '../aks-limits.js';
import { hostBitsFor } from '../ip/index.js';

/**
 * The longest IPv4 prefix (smallest Azure subnet, /29 at most) whose usable addresses
 * (size less Azure's 5) hold `required`; null when not even a /2 does.
 */
export function smallestSubnetPrefix(required: bigint): number | null {
  const hostBits = hostBitsFor(required + BigInt(AZURE_SUBNET.reserved));
  const prefix = Math.min(32 - hostBits, AKS.subnetPrefixRange.max);
  return prefix < AKS.subnetPrefixRange.min ? null : prefix;
}
