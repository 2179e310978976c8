import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AddressAnswer, LookupService } from '../../service/lookup-service.js';
import { compiledSerializer } from '../compiled-serializer.js';
import { lookupOptions, parseAddresses } from '../lookup-input.js';
import { presentMatch } from '../presenters/design.js';
import { sendProblem } from '../problem.js';
import { problemResponses } from '../schemas/common.js';
import {
  BatchLookupResultSchema,
  BatchLookupSchema,
  LookupFilterQuerySchema,
  LookupQuerySchema,
  LookupResultSchema,
} from '../schemas/lookup.js';

const tags = ['lookup'];

/** Which node owns this IP, across every stored plan. */
export const lookupRoutes: FastifyPluginAsyncZod<{ lookups: LookupService }> = async (app, { lookups }) => {
  app.get(
    '/v1/lookup',
    {
      schema: {
        tags,
        operationId: 'lookupAddress',
        summary: 'Which plan, node and role an address belongs to',
        description:
          'Every stored plan with a range holding the address answers with the role it has there (node, pod, load-balancer, service, ...); overlay pod CIDRs are often reused, so there can be several matches: at most limitPerIp are returned, matchCount says how many there are. No match is an empty list, not a 404.',
        querystring: LookupQuerySchema,
        response: { 200: LookupResultSchema, ...problemResponses(400, 404, 500) },
      },
      serializerCompiler: compiledSerializer,
    },
    async (request, reply) => {
      const parsed = parseAddresses([request.query.ip], () => 'ip');
      if ('problems' in parsed) {
        return sendProblem(reply, 'IP_INVALID', parsed.detail, { status: 400, errors: parsed.problems });
      }
      const [answer] = await lookups.lookup(parsed.addresses, lookupOptions(request.query));
      if (answer === undefined) throw new Error('one address has one answer');
      return presentAnswer(answer);
    },
  );

  app.post(
    '/v1/lookup',
    {
      schema: {
        tags,
        operationId: 'lookupAddresses',
        summary: 'Look up many addresses at once (up to 10,000)',
        description:
          'Answers every address in input order, each with at most limitPerIp matches and its matchCount. A body with an address that does not parse is refused with 422 IP_INVALID, listing each bad address at its index (ips[i]); addresses x limitPerIp above 200,000 is refused with 422 LOOKUP_TOO_LARGE before any work.',
        querystring: LookupFilterQuerySchema,
        body: BatchLookupSchema,
        response: { 200: BatchLookupResultSchema, ...problemResponses(400, 404, 422, 500) },
      },
      serializerCompiler: compiledSerializer,
    },
    async (request, reply) => {
      const parsed = parseAddresses(request.body.ips, (i) => `ips[${i}]`);
      // A bad address in a body is refused like every other body error: 422, each at its index.
      if ('problems' in parsed)
        return sendProblem(reply, 'IP_INVALID', parsed.detail, { errors: parsed.problems });
      const answers = await lookups.lookup(parsed.addresses, lookupOptions(request.query, request.body));
      return { results: answers.map(presentAnswer) };
    },
  );
};

function presentAnswer(answer: AddressAnswer) {
  return {
    ip: answer.address.text,
    matches: answer.matches.map(presentMatch),
    matchCount: answer.matchCount,
    truncated: answer.truncated,
  };
}
