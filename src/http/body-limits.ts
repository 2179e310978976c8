/**
 * The largest body each kind of route takes, in bytes: generous for real use, small enough that
 * no request holds much memory. A larger body is 413 BODY_TOO_LARGE before it is parsed.
 */
export const BODY_LIMITS = {
  /** A JSON batch lookup: 10,000 addresses with room to spare. The default for other routes. */
  batch: 1024 * 1024,
  /** A design, a calculation or a comparison: 100 pools take about 20 KiB. */
  design: 256 * 1024,
  /** An address space: up to 100 CIDRs and 32 labels. */
  space: 64 * 1024,
  /** One allocation request or one recorded node. */
  small: 16 * 1024,
  /** `kubectl get nodes -o json` of a 5,000-node cluster. */
  kubectlImport: 32 * 1024 * 1024,
  /** `kubectl get pods -A -o json`, trimmed to what is recorded for a 50,000-pod cluster (about 300 bytes a pod). */
  podImport: 64 * 1024 * 1024,
  /** `az aks show` of a 100-pool cluster with the JSON of its subnets and VNet. */
  azImport: 4 * 1024 * 1024,
} as const;
