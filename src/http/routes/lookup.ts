import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemCollector } from '../../domain/design/problems.js';
import type { Problem } from '../../domain/errors.js';
import type { IpAddress } from '../../domain/ip/index.js';
import type { LookupService } from '../../service/lookup-service.js';
import { presentMatch } from '../presenters/design.js';
import { sendProblem } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import {
  BatchLookupResultSchema,
  BatchLookupSchema,
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
          'Every stored plan with a range holding the address answers with the role it has there (node, pod, load-balancer, service, ...); overlay pod CIDRs are often reused, so there can be several matches. No match is an empty list, not a 404.',
        querystring: LookupQuerySchema,
        response: { 200: LookupResultSchema, 400: ProblemSchema, 500: ProblemSchema },
      },
    },
    async (request, reply) => {
      const parsed = parseAll([request.query.ip], 'ip');
      if ('problems' in parsed) {
        return sendProblem(reply, 'IP_INVALID', parsed.detail, { status: 400, errors: parsed.problems });
      }
      const [address] = parsed.addresses;
      const [matches = []] = await lookups.lookup(parsed.addresses);
      return { ip: String(address), matches: matches.map(presentMatch) };
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
          'Answers every address in input order. A body with an address that does not parse is refused with 422 IP_INVALID, listing each bad address at its index (ips[i]).',
        body: BatchLookupSchema,
        response: {
          200: BatchLookupResultSchema,
          422: ProblemSchema,
          500: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const parsed = parseAll(request.body.ips, 'ips');
      // A bad address in a body is refused like every other body error: 422, each at its index.
      if ('problems' in parsed)
        return sendProblem(reply, 'IP_INVALID', parsed.detail, { errors: parsed.problems });
      const all = await lookups.lookup(parsed.addresses);
      const results = parsed.addresses.map((address, i) => ({
        ip: address.toString(),
        matches: (all[i] ?? []).map(presentMatch),
      }));
      return { results };
    },
  );
};

type Parsed = { addresses: IpAddress[] } | { detail: string; problems: Problem[] };

/** Parses every address, reporting all the bad ones with their positions. */
function parseAll(texts: readonly string[], field: string): Parsed {
  const problems = new ProblemCollector();
  const addresses = texts.flatMap((text, i) => {
    const path = texts.length === 1 && field === 'ip' ? field : `${field}[${i}]`;
    return problems.address(text, path) ?? [];
  });
  const [first] = problems.problems;
  return first === undefined ? { addresses } : { detail: first.message, problems: problems.problems };
}
