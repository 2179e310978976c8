import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemCollector } from '../../domain/design/problems.js';
import { KUBERNETES_NAMES, nameProblem } from '../../domain/kubectl-list.js';
import { KUBECTL_NODE_FIELDS } from '../../domain/nodes/kubectl-import.js';
import { nodePodCidrProblem, type RealNode } from '../../domain/nodes/real-node.js';
import type { NodeService } from '../../service/node-service.js';
import { callerOf, teamOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { presentDrift, presentRecorded } from '../presenters/real-nodes.js';
import { PlanIdParamsSchema, ProblemSchema, problemResponses } from '../schemas/common.js';
import { NodesObservedAtQuerySchema } from '../schemas/pods.js';
import {
  DriftSchema,
  NodeImportResultSchema,
  NodeImportSchema,
  RealNodeInputSchema,
  RealNodeParamsSchema,
  RecordedNodeSchema,
} from '../schemas/real-nodes.js';

const tags = ['nodes'];
/** A kubectl node list runs to a few kilobytes a node: room for 5,000 nodes. */

/** Real nodes recorded against a plan, and how they drift from it. */
export const realNodeRoutes: FastifyPluginAsyncZod<{ nodes: NodeService }> = async (app, { nodes }) => {
  app.put(
    '/v1/plans/:id/nodes/:name',
    {
      config: { scope: 'write' },
      bodyLimit: BODY_LIMITS.small,
      schema: {
        tags,
        operationId: 'recordNode',
        summary: 'Record a real node; it is matched to its slot by address',
        description:
          'Records (or updates) one node of the cluster. Its slot is found from its pod CIDR (overlay, kubenet) or its node IP; a node in no slot is drift. Lookups then answer source: recorded for it.',
        params: RealNodeParamsSchema,
        body: RealNodeInputSchema,
        response: { 200: RecordedNodeSchema, 404: ProblemSchema, 422: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => {
      const node = toRealNode(request.params.name, request.body);
      return presentRecorded(await nodes.record(request.params.id, node, callerOf(request)));
    },
  );

  app.post(
    '/v1/plans/:id/node-imports',
    {
      // A 32 MiB list is parsed off the event loop and cut to what the node reader reads.
      config: { scope: 'write', listItemFields: KUBECTL_NODE_FIELDS },
      bodyLimit: BODY_LIMITS.kubectlImport,
      schema: {
        tags,
        operationId: 'importNodes',
        summary: 'Record every node of `kubectl get nodes -o json` in one transaction',
        description:
          "Takes the JSON as it is (up to 32 MiB): name, InternalIP, pod CIDR and agentpool label of every node. The list is the cluster's whole node list: recorded nodes it does not name are forgotten. A virtual node (label type=virtual-kubelet, no agentpool label) is in no pool: it is left out and listed in skipped. Every bad item is reported at once (KUBECTL_NODES_INVALID) and nothing is recorded; more than 5,000 nodes is refused before reading them, and an observedAt before the plan's last recorded node is 422 OBSERVED_AT_INVALID.",
        params: PlanIdParamsSchema,
        querystring: NodesObservedAtQuerySchema,
        body: NodeImportSchema,
        response: {
          200: NodeImportResultSchema,
          ...problemResponses(404, 413, 422, 500),
        },
      },
    },
    async (request) => {
      const { recorded, skipped } = await nodes.import(
        request.params.id,
        request.body,
        callerOf(request),
        request.query.observedAt,
      );
      return { recorded: recorded.length, nodes: recorded.map(presentRecorded), skipped };
    },
  );

  app.get(
    '/v1/plans/:id/drift',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        operationId: 'getDrift',
        summary: 'How the recorded nodes depart from the plan',
        description:
          "Nodes in no slot of the plan, pools with more nodes than slots, nodes in another pool's slot, and slots claimed twice.",
        params: PlanIdParamsSchema,
        response: { 200: DriftSchema, 404: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request) => presentDrift(await nodes.drift(request.params.id, teamOf(request))),
  );
};

function toRealNode(
  name: string,
  body: { pool: string; nodeIp: string; podCidr?: string | undefined },
): RealNode {
  const problems = new ProblemCollector();
  const badName = nameProblem(name, KUBERNETES_NAMES.object);
  if (badName !== undefined) problems.add('NODE_INVALID', 'name', badName);
  const badPool = nameProblem(body.pool, KUBERNETES_NAMES.labelValue);
  if (badPool !== undefined) problems.add('NODE_INVALID', 'pool', badPool);
  const nodeIp = problems.address(body.nodeIp, 'nodeIp') ?? null;
  const podCidr = body.podCidr === undefined ? null : (problems.cidr(body.podCidr, 'podCidr') ?? null);
  const badPodCidr = podCidr === null ? undefined : nodePodCidrProblem(podCidr);
  if (badPodCidr !== undefined) problems.add('NODE_INVALID', 'podCidr', badPodCidr);
  problems.throwIfAny();
  return { name, pool: body.pool, nodeIp, podCidr };
}
