import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemCollector } from '../../domain/design/problems.js';
import { parseLookupAddress, toIpAddress } from '../../domain/lookup/lookup-address.js';
import type { AddressInterval } from '../../domain/pods/address-history.js';
import { KUBECTL_POD_FIELDS } from '../../domain/pods/kubectl-pods.js';
import type { PodService } from '../../service/pod-service.js';
import { callerOf, teamOf } from '../auth.js';
import { BODY_LIMITS } from '../body-limits.js';
import { sendPage } from '../pages.js';
import { sendProblem } from '../problem.js';
import { PlanIdParamsSchema, problemResponses } from '../schemas/common.js';
import {
  AddressHistoryQuerySchema,
  AddressHistorySchema,
  AddressParamsSchema,
  ObservedAtQuerySchema,
  PodImportResultSchema,
  PodImportSchema,
} from '../schemas/pods.js';

const tags = ['nodes'];

/** What the cluster really did: pods recorded by import, and each address's history. */
export const podRoutes: FastifyPluginAsyncZod<{ pods: PodService }> = async (app, { pods }) => {
  app.post(
    '/v1/plans/:id/pod-imports',
    {
      // A pod list of up to 64 MiB is parsed off the event loop and cut to what the pod reader reads.
      config: { scope: 'write', listItemFields: KUBECTL_POD_FIELDS },
      bodyLimit: BODY_LIMITS.podImport,
      schema: {
        tags,
        operationId: 'importPods',
        summary: 'Record `kubectl get pods -A -o json`: which pod holds which address, as history',
        description:
          "Every pod with an IP: address, namespace, name, owner, node, host network. An assignment is an interval: the import opens the ones it sees for the first time, closes (at observedAt) the ones it no longer sees, and leaves the rest, in one transaction, so history grows with changes, not with imports. Every bad item is reported at once (KUBECTL_PODS_INVALID) and nothing is recorded; an observedAt before the plan's last pod import is 422 OBSERVED_AT_INVALID. Up to 64 MiB: trim a large cluster's document to metadata, spec.nodeName, spec.hostNetwork and status.podIP(s) (see the README).",
        params: PlanIdParamsSchema,
        querystring: ObservedAtQuerySchema,
        body: PodImportSchema,
        response: { 200: PodImportResultSchema, ...problemResponses(404, 413, 422, 500) },
      },
    },
    async (request) =>
      pods.import(request.params.id, request.body, request.query.observedAt, callerOf(request)),
  );

  app.get(
    '/v1/plans/:id/addresses/:ip/history',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        operationId: 'getAddressHistory',
        summary: 'Every pod that held an address in this plan, newest first',
        description:
          'The recorded intervals of one address: which pod (namespace, name, owner) on which node held it, from the import that first saw it to the one that no longer did (null while held). Paginated, newest first. Intervals closed longer ago than HISTORY_RETENTION_DAYS are pruned.',
        params: AddressParamsSchema,
        querystring: AddressHistoryQuerySchema,
        response: { 200: AddressHistorySchema, ...problemResponses(400, 404, 500) },
      },
    },
    async (request, reply) => {
      const problems = new ProblemCollector();
      // Parsed as a lookup parses: an IPv4-mapped IPv6 address is the IPv4 address it maps.
      const asked = parseLookupAddress(request.params.ip);
      const ip = asked === undefined ? problems.address(request.params.ip, 'ip') : toIpAddress(asked);
      // A path that cannot be read is 400, as the response schema says (a body's problem is 422).
      const [problem] = problems.problems;
      if (problem !== undefined || ip === undefined) {
        return sendProblem(reply, 'IP_INVALID', problem?.message ?? 'not an IP address', {
          status: 400,
          errors: [...problems.problems],
        });
      }
      const page = await pods.history(request.params.id, ip, request.query, teamOf(request));
      return sendPage(request, reply, {
        items: page.items.map(presentInterval),
        nextCursor: page.nextCursor,
      });
    },
  );
};

export function presentInterval(i: AddressInterval) {
  return {
    ip: i.ip.toString(),
    namespace: i.namespace,
    pod: i.pod,
    ownerKind: i.ownerKind,
    ownerName: i.ownerName,
    node: i.node,
    hostNetwork: i.hostNetwork,
    from: i.from,
    to: i.to,
  };
}
