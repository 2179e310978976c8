import type { FastifyReply } from 'fastify';
import { catalogueEntry, type ErrorCode, type FieldProblem, slugOf } from './error-catalogue.js';
import { noteProblem } from './request-log.js';
import { type SecretRedaction, SHAPES_ONLY } from './secret-redaction.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** What log lines and problem answers leave out of a request's URL and of what it echoes. */
    secrets?: SecretRedaction;
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemOptions {
  /** The status, when it is not the code's usual one (input problems in a query are 400). */
  readonly status?: number;
  readonly instance?: string;
  readonly errors?: readonly FieldProblem[];
}

/**
 * An RFC 9457 body: `type` is the page that explains the code (/problems/cidr-host-bits-set),
 * `title` the code's title in the catalogue.
 */
export function problemBody(code: ErrorCode, detail: string, options: ProblemOptions = {}) {
  const entry = catalogueEntry(code);
  const { errors, instance } = options;
  return {
    type: `/problems/${slugOf(code)}`,
    title: entry.title,
    status: options.status ?? entry.status,
    detail,
    code,
    ...(instance === undefined ? {} : { instance }),
    ...(errors === undefined || errors.length === 0
      ? {}
      : { errors: errors.map(({ path, message, code }) => ({ path, message, code })) }),
  };
}

export function sendProblem(
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  options: Omit<ProblemOptions, 'instance'> = {},
): FastifyReply {
  // An answer echoes what the request named (its URL, an id): never a secret sent by mistake.
  const secrets = reply.server.secrets ?? SHAPES_ONLY;
  const errors = options.errors?.map((e) => ({
    ...e,
    path: secrets.text(e.path),
    message: secrets.text(e.message),
  }));
  const body = problemBody(code, secrets.text(detail), {
    ...options,
    ...(errors === undefined ? {} : { errors }),
    instance: secrets.url(reply.request.url),
  });
  noteProblem(reply, code);
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** An error of the HTTP layer itself (the body, the transport), carrying a catalogue code. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'RequestError';
  }

  /** A body refused for one problem at one path (see json-checks). */
  static of(problem: FieldProblem): RequestError {
    return new RequestError(problem.code, problem.message, [problem]);
  }
}
