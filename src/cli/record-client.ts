import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { counted } from '../domain/capacity/numbers.js';
import { isNodeImportAnswer, isPodImportAnswer } from './answer-shapes.js';
import { CliError, EXIT } from './cli-error.js';
import { readText } from './input.js';
import { type ServerOptions, sendJson } from './server-request.js';

const run = promisify(execFile);

export interface RecordOptions extends ServerOptions {
  /** Files holding `kubectl get nodes -o json` and `kubectl get pods -A -o json`; kubectl is asked otherwise. */
  readonly nodes?: string | undefined;
  readonly pods?: string | undefined;
  /** The kubectl to run: `kubectl` on the PATH unless given. */
  readonly kubectl?: string | undefined;
}

type Json = unknown;

/** The largest kubectl JSON file read: a 50,000-pod cluster's pod list untrimmed is a few hundred MiB. */
const FILE_LIMIT = 512 * 1024 * 1024;

/**
 * Records a cluster's nodes and pods in its plan, both observed at one time (taken before kubectl
 * is asked): the node import first, so that the pod records find their nodes' slots. Both lists
 * are trimmed to what is recorded, so that a 50,000-pod cluster's document stays a few megabytes.
 */
export async function recordCluster(plan: string, options: RecordOptions): Promise<string> {
  const observedAt = new Date().toISOString();
  const nodes = trimNodes(await document(options.nodes, options.kubectl, ['get', 'nodes', '-o', 'json']));
  const pods = trimPods(await document(options.pods, options.kubectl, ['get', 'pods', '-A', '-o', 'json']));
  const at = `observedAt=${encodeURIComponent(observedAt)}`;
  const path = `/v1/plans/${encodeURIComponent(plan)}`;
  const send = <T>(kind: 'node' | 'pod', body: Json, is: (value: unknown) => value is T) =>
    sendJson(`${path}/${kind}-imports?${at}`, body, options, is, `a ${kind} import`);
  const recordedNodes = await send('node', nodes, isNodeImportAnswer);
  const recordedPods = await send('pod', pods, isPodImportAnswer).catch((error: unknown) => {
    // The nodes stay recorded: said, so that a pipeline retrying knows what landed.
    if (!(error instanceof CliError)) throw error;
    throw new CliError(
      `${counted(recordedNodes.recorded, 'node')} recorded, the pods not: ${error.message}`,
      error.exitCode,
    );
  });
  const skipped = recordedNodes.skipped?.map((node) => node.name) ?? [];
  const left = skipped.length === 0 ? '' : ` (not recorded, in no pool: ${skipped.join(', ')})`;
  return `recorded ${recordedNodes.recorded} nodes${left} and ${recordedPods.seen} pod addresses (${recordedPods.opened} new, ${recordedPods.closed} gone) in ${plan} at ${observedAt}`;
}

async function document(
  file: string | undefined,
  kubectl: string | undefined,
  args: string[],
): Promise<Json> {
  const text =
    file !== undefined
      ? readText(file, FILE_LIMIT)
      : await run(kubectl ?? 'kubectl', args, { maxBuffer: 2 * 1024 * 1024 * 1024 }).then(
          (out) => out.stdout,
          (error: Error & { stderr?: string }) => {
            // kubectl's own words (Unauthorized, no context) are what a pipeline's log needs.
            const said = error.stderr?.trim().split('\n').slice(-3).join(' / ').slice(0, 500);
            const why = said === undefined || said === '' ? error.message.split('\n')[0] : said;
            throw new CliError(`kubectl ${args.join(' ')} failed: ${why}`);
          },
        );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(
      `${file ?? `kubectl ${args.join(' ')}`} is not JSON`,
      file === undefined ? EXIT.failure : EXIT.input,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { items?: unknown }).items))
    throw new CliError(
      `${file ?? `kubectl ${args.join(' ')}`} is not a kubectl list: expected an object with items`,
      file === undefined ? EXIT.failure : EXIT.input,
    );
  return parsed;
}

/**
 * What an import reads of a kubectl item: `true` keeps a value whole, an object keeps only the
 * keys it names, each cut down by its own shape.
 */
type Shape = true | { readonly [key: string]: Shape };

/**
 * Only what a pod import reads: names, owners, node, host network, addresses, and the phase (a
 * finished pod's podIP is back in the pool, not the pod's).
 */
const POD: Shape = {
  metadata: { name: true, namespace: true, ownerReferences: true },
  spec: { nodeName: true, hostNetwork: true },
  status: { phase: true, podIP: true, podIPs: true },
};

/**
 * Only what a node import reads: the name, the labels naming its pool (or a virtual node), the
 * pod CIDRs and the addresses. A node's images, conditions and managedFields are most of its JSON:
 * a 5,000-node list untrimmed passes the server's 32 MiB limit.
 */
const NODE: Shape = {
  metadata: { name: true, labels: { 'kubernetes.azure.com/agentpool': true, agentpool: true, type: true } },
  spec: { podCIDR: true, podCIDRs: true },
  status: { addresses: true },
};

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` cut down to `shape`; a value that is not an object is kept, for the server to name at its path. */
function trimmed(value: Json, shape: Shape): Json {
  if (shape === true || !isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(shape).flatMap(([key, inner]) =>
      Object.hasOwn(value, key) ? [[key, trimmed(value[key], inner)]] : [],
    ),
  );
}

/** A kubectl list with each item cut down to `shape`: a null item stays null, and is refused at its index. */
function trimList(list: Json, shape: Shape): Json {
  const items = (list as { items?: unknown }).items;
  return Array.isArray(items) ? { items: items.map((item) => trimmed(item, shape)) } : list;
}

export const trimPods = (list: Json): Json => trimList(list, POD);
export const trimNodes = (list: Json): Json => trimList(list, NODE);
