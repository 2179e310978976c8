import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CATALOGUE, type CatalogueEntry, entryForSlug, slugOf } from '../error-catalogue.js';
import type { PublishedDocument } from '../openapi/published.js';
import { sendProblem } from '../problem.js';
import { ProblemSchema } from '../schemas/common.js';
import { VERSION } from '../version.js';

const tags = ['operations'];

/** True when a browser asks: it prefers HTML to JSON. */
function wantsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

/** HTML goes out as it is: the route's JSON schema describes the answer to API clients. */
function sendHtml(reply: FastifyReply, html: string) {
  return reply.type('text/html; charset=utf-8').send(html as never);
}

function presentEntry(entry: CatalogueEntry) {
  return {
    type: `/problems/${slugOf(entry.code)}`,
    code: entry.code,
    status: entry.status,
    title: entry.title,
    fix: entry.fix,
  };
}

const ProblemTypeSchema = z.object({
  type: z.string(),
  code: z.string(),
  status: z.number().int(),
  title: z.string(),
  fix: z.string().describe('What to do about it'),
});

const IndexSchema = z.object({
  name: z.string(),
  version: z.string(),
  links: z.record(z.string(), z.string()),
});

/** The first things a person or a client finds: an index, the API document, and what each problem means. */
export const referenceRoutes: FastifyPluginAsyncZod<{ published: () => PublishedDocument }> = async (
  app,
  { published },
) => {
  app.get(
    '/',
    {
      config: { scope: 'public' },
      schema: {
        operationId: 'getIndex',
        tags,
        summary: 'Where to start',
        description:
          'A browser is redirected to the Swagger UI at /docs; an API client gets links to the documentation, the API document and the probes.',
        response: { 200: IndexSchema, 302: z.null().describe('To /docs, for a browser') },
      },
    },
    async (request, reply) => {
      if (wantsHtml(request.headers.accept)) return reply.redirect('/docs', 302);
      return {
        name: 'aks-ip-planner',
        version: VERSION,
        links: {
          docs: '/docs',
          openapiJson: '/openapi.json',
          openapiYaml: '/openapi.yaml',
          problems: '/problems',
          health: '/healthz',
          ready: '/readyz',
          plans: '/v1/plans',
        },
      };
    },
  );

  app.get(
    '/openapi.json',
    { config: { scope: 'public' }, schema: { hide: true } },
    async () => published().json,
  );
  app.get('/openapi.yaml', { config: { scope: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(published().yaml),
  );

  app.get(
    '/problems',
    {
      config: { scope: 'public' },
      schema: {
        operationId: 'listProblemTypes',
        tags,
        summary: 'Every problem type the service answers with',
        description: 'Each error code with its status, title and what to do; HTML for a browser.',
        response: { 200: z.array(ProblemTypeSchema) },
      },
    },
    async (request, reply) => {
      if (!wantsHtml(request.headers.accept)) return CATALOGUE.map(presentEntry);
      const rows = CATALOGUE.map(
        (e) =>
          `<tr><td><a href="/problems/${slugOf(e.code)}">${e.code}</a></td><td>${e.status}</td><td>${escapeHtml(e.title)}</td></tr>`,
      ).join('');
      const html = page(
        'Problem types',
        `<h1>Problem types</h1><table><tr><th>code</th><th>status</th><th>title</th></tr>${rows}</table>`,
      );
      return sendHtml(reply, html);
    },
  );

  app.get(
    '/problems/:code',
    {
      config: { scope: 'public' },
      schema: {
        operationId: 'getProblemType',
        tags,
        summary: 'What a problem type means and how to fix it',
        description:
          "The page every problem body's type points at: the code in kebab case (cidr-host-bits-set) or as it is.",
        params: z.object({
          code: z
            .string()
            .min(1)
            .max(64)
            .describe('The code, in kebab case or as it is')
            .meta({ example: 'cidr-host-bits-set' }),
        }),
        response: { 200: ProblemTypeSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const entry = entryForSlug(request.params.code);
      if (entry === undefined)
        return sendProblem(reply, 'ROUTE_NOT_FOUND', `no problem type ${request.params.code}`);
      if (!wantsHtml(request.headers.accept)) return presentEntry(entry);
      const body = `<h1>${escapeHtml(entry.title)}</h1><p><code>${entry.code}</code>, HTTP ${entry.status}</p><p>${escapeHtml(entry.fix)}</p><p><a href="/problems">Every problem type</a></p>`;
      return sendHtml(reply, page(entry.title, body));
    },
  );
};
