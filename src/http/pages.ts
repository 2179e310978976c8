import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type LabelSelector, parseSelector } from '../domain/labels.js';
import { mapInSlices, type TimeSlices } from '../service/time-slices.js';
import { sendPieces } from './pieces.js';
import { wholeNumber } from './schemas/common.js';

export const MAX_PAGE = 200;

/** `limit` and `cursor` of every list of stored things. */
export const PageQuerySchema = z.strictObject({
  limit: wholeNumber({ min: 1, max: MAX_PAGE, byDefault: 50 })
    .describe(`Items per page, 1-${MAX_PAGE}; default 50`)
    .meta({ example: 50 }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .describe('The nextCursor of the previous page; leave it out for the first page')
    .meta({ example: 'eyJhZnRlciI6Mn0' }),
});

/** The page query plus the filters of plans and spaces: exact name, and label selectors (AND). */
export const ListQuerySchema = PageQuerySchema.extend({
  name: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Only the one with this exact name')
    .meta({ example: 'prod-weu-1' }),
  label: z
    .union([z.string().max(400), z.array(z.string().max(400)).max(32)])
    .optional()
    .describe('key=value (equality) or key (presence), repeatable: every selector must hold')
    .meta({ example: 'team=payments' }),
});

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last'),
  });
}

/** The label selectors of a list query, parsed (400 LABEL_SELECTOR_INVALID for a bad one). */
export function selectorsOf(label: string | readonly string[] | undefined): LabelSelector[] {
  const terms = label === undefined ? [] : typeof label === 'string' ? [label] : label;
  return terms.map(parseSelector);
}

/** Sets `Link: <...>; rel="next"` with the request's own query and `changes` applied. */
export function linkNext(
  request: FastifyRequest,
  reply: FastifyReply,
  changes: Record<string, string>,
): void {
  const url = new URL(request.url, 'http://localhost');
  for (const [key, value] of Object.entries(changes)) url.searchParams.set(key, value);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}

/**
 * A page body written item by item, the event loop let in between (a page of 200 plans of 100
 * pools is 26 MB, which one serializer call wrote at once), and sent as the pieces: the same
 * JSON the page's schema writes, items first. With the Link header when there is a next page.
 * Each item is encoded in its own step: the serializer's text is a rope of small strings, and
 * measuring 26 MB of them for Content-Length at the end held the loop for 170 ms (measured).
 */
export async function sendPageInPieces<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { items: readonly T[]; nextCursor: string | null },
  writeItem: (item: T) => string,
  slices?: TimeSlices,
): Promise<FastifyReply> {
  if (page.nextCursor !== null) linkNext(request, reply, { cursor: page.nextCursor });
  let written = 0;
  const items = await mapInSlices(
    page.items,
    (item) => Buffer.from(written++ === 0 ? writeItem(item) : `,${writeItem(item)}`),
    slices,
  );
  const pieces = ['{"items":[', ...items, `],"nextCursor":${JSON.stringify(page.nextCursor)}}`];
  return sendPieces(reply, 'application/json; charset=utf-8', pieces);
}

/** A page body, with the Link header when there is a next page. */
export function sendPage<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { items: readonly T[]; nextCursor: string | null },
): { items: T[]; nextCursor: string | null } {
  if (page.nextCursor !== null) linkNext(request, reply, { cursor: page.nextCursor });
  return { items: [...page.items], nextCursor: page.nextCursor };
}
