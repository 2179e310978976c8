import type { ProblemCollector } from '../../design/problems.js';
import { IpAddress } from '../../ip/index.js';

const PATH = 'network.dockerBridgeCidr';
const PREFIX_LENGTH = /^(?:[0-9]|[12][0-9]|3[0-2])$/;

/**
 * AKS no longer uses a Docker bridge, and the plan ignores the field, but it keeps and repeats
 * it (a warning, a note in every export), so it must be what it claims: what the ARM API took,
 * an IPv4 address with an optional prefix length. Host bits may be set: its own example is
 * 172.17.0.1/16, the bridge's address.
 */
export function checkDockerBridge(text: string | undefined, problems: ProblemCollector): void {
  if (text === undefined) return;
  const [address = '', length, ...rest] = text.split('/');
  const lengthOk = length === undefined || PREFIX_LENGTH.test(length);
  if (rest.length === 0 && lengthOk && IpAddress.tryParse(address)?.family === 4) return;
  problems.add(
    'CIDR_INVALID',
    PATH,
    `${JSON.stringify(text)} is not an IPv4 address with an optional prefix length, as the Docker bridge was given (172.17.0.1/16)`,
  );
}
