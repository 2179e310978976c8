import { AKS, AZURE_SUBNET } from '../aks-limits.js';

/**
 * The longest IPv4 prefix (smallest Azure subnet, /29 at most) whose usable addresses
 * (size less Azure's 5) hold `required`; null when not even a /2 does.
 */
export function smallestSubnetPrefix(required: bigint): number | null {
  const needed = required + BigInt(AZURE_SUBNET.reserved);
  let hostBits = 0;
  while (1n << BigInt(hostBits) < needed) hostBits++;
  const prefix = Math.min(32 - hostBits, AKS.subnetPrefixRange.max);
  return prefix < AKS.subnetPrefixRange.min ? null : prefix;
}
