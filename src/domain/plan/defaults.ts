import { AKS } from '../aks-limits.js';
import { inAksCreatedVnet } from '../design/aks-vnet.js';
import type { DefaultsRecorder } from '../design/defaults-recorder.js';
import { ipv4Entry } from '../design/network-lists.js';
import { ingressDefaults, platformSubnetDefaults } from '../design/platform-defaults.js';
import type {
  NetworkInput,
  NetworkSpec,
  NodePoolSpec,
  PlanInput,
  PlanSpec,
  PluginName,
} from '../design/spec.js';
import { canonicalSurge } from '../design/surge.js';
import { outboundDefaults } from '../egress/outbound-defaults.js';
import { Cidr } from '../ip/index.js';

/** Offset of the DNS service IP AKS uses by convention (10.0.0.10 in 10.0.0.0/16). */
const DNS_SERVICE_OFFSET = 10n;

/** Per-plugin defaults the common defaults depend on. */
export interface PluginDefaults {
  readonly defaultMaxPods: number;
}

export function resolvePluginName(input: PlanInput, recorder: DefaultsRecorder): PluginName {
  return recorder.take('network.plugin', input.network?.plugin, AKS.defaultPlugin);
}

/** Completes the parts of a design every plugin shares; plugins add their own afterwards. */
export function applyCommonDefaults(
  input: PlanInput,
  plugin: PluginName,
  pluginDefaults: PluginDefaults,
  recorder: DefaultsRecorder,
): PlanSpec {
  const spec: PlanSpec = {
    name: input.name,
    network: networkDefaults(input, plugin, recorder),
    nodePools: input.nodePools.map((pool, i) => poolDefaults(pool, i, pluginDefaults, recorder)),
    reservations: {
      internalLoadBalancers: recorder.take(
        'reservations.internalLoadBalancers',
        input.reservations?.internalLoadBalancers,
        0,
      ),
      privateEndpoints: recorder.take(
        'reservations.privateEndpoints',
        input.reservations?.privateEndpoints,
        0,
      ),
    },
  };
  if (input.outbound !== undefined) spec.outbound = outboundDefaults(input.outbound, recorder);
  if (input.platformSubnets !== undefined) {
    spec.platformSubnets = platformSubnetDefaults(input.platformSubnets, recorder);
  }
  if (input.ingress !== undefined) spec.ingress = ingressDefaults(input.ingress, recorder);
  return spec;
}

function networkDefaults(input: PlanInput, plugin: PluginName, recorder: DefaultsRecorder): NetworkSpec {
  const given = input.network ?? {};
  const { serviceCidr, dnsServiceIp } = serviceDefaults(given, recorder);
  const everyPoolHasSubnet = input.nodePools.every((pool) => pool.nodeSubnet !== undefined);
  const nodeSubnet = everyPoolHasSubnet
    ? given.nodeSubnet
    : recorder.take('network.nodeSubnet', ownNodeSubnet(input), AKS.defaultNodeSubnet);
  return {
    ...given,
    ...(nodeSubnet === undefined ? {} : { nodeSubnet }),
    plugin,
    dataplane: recorder.take('network.dataplane', given.dataplane, 'azure'),
    serviceCidr,
    ...(dnsServiceIp === undefined ? {} : { dnsServiceIp }),
    privateCluster: recorder.take('network.privateCluster', given.privateCluster, false),
  };
}

/**
 * The node subnet the design gives as its own. AKS's default subnet sent back by a design that
 * names nothing else of a VNet (the spec a plan or calculation answered, sent again) is AKS's
 * VNet still, as when it was left out: given as the client's own, it would forbid a managed NAT
 * gateway, allow userDefinedRouting, and make every export create a subnet.
 */
function ownNodeSubnet(input: PlanInput): string | undefined {
  const { network = {} } = input;
  return inAksCreatedVnet({ ...input, network }) ? undefined : network.nodeSubnet;
}

/**
 * The DNS service IP defaults to the tenth address of the service CIDR: 10.0.0.10 for the
 * default 10.0.0.0/16, and the same convention for a custom range. When the service CIDR
 * does not parse there is nothing to derive; validation reports the CIDR itself.
 */
function serviceDefaults(
  given: NetworkInput,
  recorder: DefaultsRecorder,
): { serviceCidr: string; dnsServiceIp?: string } {
  const fallback = ipv4Entry(given.serviceCidrs) ?? AKS.defaultServiceCidr;
  const serviceCidr = recorder.take('network.serviceCidr', given.serviceCidr, fallback);
  if (given.dnsServiceIp !== undefined) return { serviceCidr, dnsServiceIp: given.dnsServiceIp };
  const range = Cidr.tryParse(serviceCidr);
  if (range === undefined || range.size <= DNS_SERVICE_OFFSET) return { serviceCidr };
  const dnsServiceIp = recorder.take(
    'network.dnsServiceIp',
    undefined,
    range.at(DNS_SERVICE_OFFSET).toString(),
  );
  return { serviceCidr, dnsServiceIp };
}

function poolDefaults(
  pool: PlanInput['nodePools'][number],
  index: number,
  pluginDefaults: PluginDefaults,
  recorder: DefaultsRecorder,
): NodePoolSpec {
  const at = `nodePools[${index}]`;
  // Without node public IPs is the default, written nowhere: false and absent are one spec, so a
  // replacement that adds false changes nothing (and stored plans read as they were written).
  const { nodePublicIp, ...given } = pool;
  return {
    ...given,
    ...(nodePublicIp === true ? { nodePublicIp } : {}),
    mode: recorder.take(`${at}.mode`, pool.mode, index === 0 ? 'System' : 'User'),
    osType: recorder.take(`${at}.osType`, pool.osType, 'Linux'),
    maxPods: recorder.take(`${at}.maxPods`, pool.maxPods, pluginDefaults.defaultMaxPods),
    maxSurge: recorder.take(`${at}.maxSurge`, canonicalSurge(pool.maxSurge), AKS.defaultMaxSurge),
    ...(pool.mode === 'Gateway'
      ? {
          gatewayPrefixSize: recorder.take(
            `${at}.gatewayPrefixSize`,
            pool.gatewayPrefixSize,
            AKS.gatewayPrefixSize.default,
          ),
        }
      : {}),
  };
}
