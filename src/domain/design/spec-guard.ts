import { PLATFORM_ROLES } from './platform-roles.js';
import {
  DATAPLANES,
  IP_FAMILIES,
  OS_TYPES,
  OUTBOUND_TYPES,
  PLUGINS,
  type PlanSpec,
  POD_IP_ALLOCATIONS,
  POOL_MODES,
} from './spec.js';

// A structural check of a completed spec read back from storage, so that a damaged or foreign
// row fails loudly where it is read instead of deep inside the layout. It checks the shape the
// planner completed (types and enumerations), not the design rules: those held when it was written.

/** An error message for the first field of `value` that does not fit, or undefined. */
type Check = (value: unknown, path: string) => string | undefined;

const string: Check = (v, path) => (typeof v === 'string' ? undefined : `${path} is not a string`);
const boolean: Check = (v, path) => (typeof v === 'boolean' ? undefined : `${path} is not a boolean`);
const integer: Check = (v, path) => (Number.isSafeInteger(v) ? undefined : `${path} is not an integer`);
const surge: Check = (v, path) => (typeof v === 'string' ? undefined : integer(v, path));
const oneOf =
  (values: readonly string[]): Check =>
  (v, path) =>
    typeof v === 'string' && values.includes(v) ? undefined : `${path} is not one of ${values.join(', ')}`;
const optional =
  (check: Check): Check =>
  (v, path) =>
    v === undefined ? undefined : check(v, path);
const list =
  (check: Check): Check =>
  (v, path) =>
    Array.isArray(v)
      ? v.map((item, i) => check(item, `${path}[${i}]`)).find(Boolean)
      : `${path} is not a list`;
const object =
  (fields: Record<string, Check>): Check =>
  (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${path} is not an object`;
    const record = v as Record<string, unknown>;
    return Object.entries(fields)
      .map(([key, check]) => check(record[key], `${path}.${key}`))
      .find(Boolean);
  };

const NETWORK = object({
  plugin: oneOf(PLUGINS),
  dataplane: oneOf(DATAPLANES),
  vnetAddressSpace: optional(list(string)),
  nodeSubnet: optional(string),
  podSubnet: optional(string),
  podIpAllocation: optional(oneOf(POD_IP_ALLOCATIONS)),
  podCidr: optional(string),
  ipFamilies: optional(list(oneOf(IP_FAMILIES))),
  podCidrs: optional(list(string)),
  serviceCidr: string,
  serviceCidrs: optional(list(string)),
  dnsServiceIp: optional(string),
  privateCluster: boolean,
  dockerBridgeCidr: optional(string),
});

const POOL = object({
  name: string,
  mode: oneOf(POOL_MODES),
  osType: oneOf(OS_TYPES),
  nodeCount: integer,
  minCount: optional(integer),
  maxCount: optional(integer),
  maxPods: integer,
  maxSurge: surge,
  nodeSubnet: optional(string),
  podSubnet: optional(string),
  gatewayPrefixSize: optional(integer),
  nodePublicIp: optional(boolean),
});

const PLAN_SPEC = object({
  name: string,
  network: NETWORK,
  nodePools: list(POOL),
  reservations: object({ internalLoadBalancers: integer, privateEndpoints: integer }),
  outbound: optional(
    object({
      type: oneOf(OUTBOUND_TYPES),
      managedOutboundIps: optional(integer),
      allocatedOutboundPorts: optional(integer),
      idleTimeoutMinutes: optional(integer),
      publicLoadBalancerServices: optional(integer),
      publicIps: optional(list(string)),
      firewallPrivateIp: optional(string),
      firewallPublicIp: optional(string),
    }),
  ),
  platformSubnets: optional(
    list(
      object({
        role: oneOf(PLATFORM_ROLES),
        name: string,
        cidr: optional(string),
        prefixLength: optional(integer),
      }),
    ),
  ),
  ingress: optional(object({ publicIps: integer })),
});

/** The spec, when `value` has the shape of a completed one; otherwise an error naming the first field that does not. */
export function asPlanSpec(value: unknown): PlanSpec {
  const wrong = PLAN_SPEC(value, 'spec');
  if (wrong !== undefined) throw new Error(`stored plan spec is damaged: ${wrong}`);
  return value as PlanSpec;
}

/** A list of strings (such as the recorded defaults), or an error. */
export function asStringList(value: unknown, what: string): string[] {
  const wrong = list(string)(value, what);
  if (wrong !== undefined) throw new Error(`stored ${what} is damaged: ${wrong}`);
  return value as string[];
}
