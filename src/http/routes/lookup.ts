import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Team } from '../../domain/auth/team.js';
import type { LookupService } from '../../service/lookup-service.js';
import { TimeSlices } from '../../service/time-slices.js';
import { teamOf } from '../auth.js';
import { compiledSerializer } from '../compiled-serializer.js';
import type { CsvColumn } from '../csv-columns.js';
import {
  batchQueryProblems,
  bodySelectorProblems,
  lookupOptions,
  parseAddresses,
  parseBatch,
} from '../lookup-input.js';
import { lookupAnswerJson } from '../lookup-json.js';
import { jsonBatch, lookupCsv, lookupLines, STREAMED_TYPES } from '../lookup-stream.js';
import { sendProblem } from '../problem.js';
import { problemResponses } from '../schemas/common.js';
import {
  BatchLookupResultSchema,
  BatchLookupSchema,
  LookupQuerySchema,
  LookupResultSchema,
  StreamLookupQuerySchema,
} from '../schemas/lookup.js';
import { otherCharsetRefusal } from '../utf8.js';

const tags = ['lookup'];

/** Which node owns this IP, across every stored plan. */
export const lookupRoutes: FastifyPluginAsyncZod<{ lookups: LookupService }> = async (app, { lookups }) => {
  // Streamed bodies reach the handler as the request stream itself: never buffered, never limited.
  for (const type of Object.keys(STREAMED_TYPES)) {
    app.addContentTypeParser(type, (request, payload, done) => {
      const charset = otherCharsetRefusal(request.headers['content-type'], 'a streamed lookup body is UTF-8');
      done(charset ?? null, charset === undefined ? payload : undefined);
    });
  }

  app.get(
    '/v1/lookup',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        operationId: 'lookupAddress',
        summary: 'Which plan, node and role an address belongs to',
        description:
          'Every stored plan with a range holding the address answers with the role it has there (node, pod, load-balancer, service, ...); overlay pod CIDRs are often reused, so there can be several matches: at most limitPerIp are returned, matchCount says how many there are. No match is an empty list, not a 404. An IPv4-mapped IPv6 address (::ffff:10.240.0.8) is looked up, and answered, as the IPv4 address it maps.',
        querystring: LookupQuerySchema,
        response: { 200: LookupResultSchema, ...problemResponses(400, 404, 500) },
      },
      serializerCompiler: compiledSerializer,
    },
    // Not async: the usual lookup is answered in the turn it arrived, without a promise (an
    // async handler cost about as much as the lookup's own work).
    (request, reply) => {
      const parsed = parseAddresses([request.query.ip], () => 'ip');
      if ('problems' in parsed) {
        sendProblem(reply, 'IP_INVALID', parsed.detail, { status: 400, errors: parsed.problems });
        return;
      }
      const options = { ...lookupOptions(request.query, teamOf(request)), receivedAt: request.receivedAt };
      const [address] = parsed.addresses;
      if (address === undefined) throw new Error('one text parsed is one address');
      const answer = lookups.lookupOne(address, options);
      // Written as the response schema's serializer writes it (see lookup-json), without its objects.
      if (answer instanceof Promise) return answer.then((a) => sent(sendJson(reply, lookupAnswerJson(a))));
      sendJson(reply, lookupAnswerJson(answer));
    },
  );

  app.post(
    '/v1/lookup',
    {
      config: { scope: 'read', bodyTypes: ['application/json', ...Object.keys(STREAMED_TYPES)] },
      schema: {
        tags,
        operationId: 'lookupAddresses',
        summary: 'Look up many addresses: a JSON batch of up to 10,000, or a stream of any length',
        description:
          'A JSON body answers every address in input order, each with at most limitPerIp matches and its matchCount. A body with an address that does not parse is refused with 422 IP_INVALID, listing each bad address at its index (ips[i]); addresses x limitPerIp above 200,000 is refused with 422 LOOKUP_TOO_LARGE before any work. For flow logs, stream instead: application/x-ndjson ({"ip": ...} per line) or text/plain (an address per line) answers one NDJSON line per input line, in order ({"line", "error"} for a line that is not an address, and the stream goes on); text/csv (a header row with an ip, src, srcIp, dst or dstIp column in any case, or ?column=) answers the same rows with the first match\'s owner and the match count appended (a row is padded to the header\'s width; one that is wider, or no CSV record, goes back as one quoted field with its error). Streams have no length limit and hold constant memory; filters and limitPerIp come from the query. A JSON batch takes them in its body or in the query, not both (400 INVALID_VALUE naming each one given twice), and no column (400 INVALID_VALUE).',
        querystring: StreamLookupQuerySchema,
        body: BatchLookupSchema,
        response: { 200: BatchLookupResultSchema, ...problemResponses(400, 404, 422, 500) },
      },
      serializerCompiler: compiledSerializer,
    },
    async (request, reply) => {
      if (request.body instanceof Readable)
        return streamLookup(
          request.query,
          request.headers['content-type'],
          reply,
          request.body,
          lookups,
          teamOf(request),
        );
      // One clock from the request's arrival: parsing, looking up and writing pause every 10 ms
      // together, counting the body's parse and validation when they ran in the same turn.
      const slices = new TimeSlices(undefined, request.receivedAt);
      const parsed = await parseBatch(request.body.ips, (i) => `ips[${i}]`, slices);
      // A bad address in a body is refused like every other body error: 422, each at its index.
      if ('problems' in parsed)
        return sendProblem(reply, 'IP_INVALID', parsed.detail, { errors: parsed.problems });
      const [twice, ...alsoTwice] = batchQueryProblems(request.query, request.body);
      if (twice !== undefined)
        return sendProblem(reply, 'INVALID_VALUE', twice.message, {
          status: 400,
          errors: [twice, ...alsoTwice],
        });
      const [badSelector, ...more] = bodySelectorProblems(request.body.labels);
      if (badSelector !== undefined) {
        return sendProblem(reply, 'LABEL_SELECTOR_INVALID', badSelector.message, {
          status: 422,
          errors: [badSelector, ...more],
        });
      }
      const options = {
        ...lookupOptions(request.query, teamOf(request), request.body),
        receivedAt: request.receivedAt,
      };
      const body = await jsonBatch(parsed.addresses, lookups, options, slices);
      return sendStream(reply, 'application/json; charset=utf-8', body);
    },
  );
};

/** Answers a streamed body as it arrives: NDJSON for lines, CSV for CSV. */
async function streamLookup(
  query: {
    column?: CsvColumn | undefined;
    limitPerIp?: number | undefined;
    plan?: string | string[] | undefined;
    label?: string | string[] | undefined;
  },
  contentType: string | undefined,
  reply: FastifyReply,
  body: Readable,
  lookups: LookupService,
  team: Team,
) {
  const options = lookupOptions(query, team);
  await lookups.lookup([], options); // a filter naming no plan is a 404 before the stream starts
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const format = STREAMED_TYPES[type as keyof typeof STREAMED_TYPES];
  if (format === 'csv') {
    const csv = await lookupCsv(body, lookups, options, query.column);
    return sendStream(reply, 'text/csv; charset=utf-8', csv);
  }
  return reply
    .type('application/x-ndjson')
    .send(lookupLines(body, format === 'lines' ? 'lines' : 'ndjson', lookups, options));
}

/** A streamed answer: its bytes are written as they come, past the response serializer. */
function sendStream(reply: FastifyReply, type: string, stream: Readable): FastifyReply {
  return reply.type(type).send(stream);
}

/**
 * What a sync handler's promise resolves to once it has sent: the reply itself. A reply is a
 * thenable that settles when the response has finished, so the handler's promise settles then,
 * with Fastify seeing the reply sent. Resolving to undefined instead would make Fastify send again
 * while the answer waits in the turn-batching onSend hook. The route types accept only bodies.
 */
const sent = (reply: FastifyReply) => reply as unknown as void;

/** JSON already written: Fastify sends a string with a content type as it is. */
function sendJson(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
