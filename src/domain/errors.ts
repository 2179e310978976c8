import type { DomainErrorCode } from './error-codes.js';

/** One thing wrong with an input: a stable code, the field path it concerns, and a sentence for people. */
export interface Problem {
  readonly code: DomainErrorCode;
  readonly path: string;
  readonly message: string;
}

/**
 * The domain's only error type. It carries stable codes and never an HTTP status:
 * the HTTP layer maps codes to statuses in one table.
 */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly problems: readonly Problem[];

  constructor(code: DomainErrorCode, message: string, problems: readonly Problem[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.problems = problems;
  }

  /** A single rejected input, reported with its own field path. */
  static invalid(code: DomainErrorCode, path: string, message: string): DomainError {
    return new DomainError(code, message, [{ code, path, message }]);
  }
}

/** A refusal lists at most this many problems: its answer stays small whatever the input's size. */
export const MAX_LISTED_PROBLEMS = 100;

/**
 * Several problems with one input: the first one's code names the whole rejection. Past
 * MAX_LISTED_PROBLEMS, the first ones are listed and the detail says there are more.
 */
export function invalidInput(problems: readonly Problem[]): DomainError {
  const [first] = problems;
  if (first === undefined) throw new Error('invalidInput needs at least one problem');
  if (problems.length > MAX_LISTED_PROBLEMS) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    const detail = `more than ${MAX_LISTED_PROBLEMS} problems (the first ${MAX_LISTED_PROBLEMS} are listed), first: ${first.message}`;
    return new DomainError(first.code, detail, listed);
  }
  const detail =
    problems.length === 1 ? first.message : `${problems.length} problems, first: ${first.message}`;
  return new DomainError(first.code, detail, problems);
}

/**
 * Runs `work`, refusing the `earlier` problems together with any problems it refuses with: a
 * request's problems found in two steps are still answered in one.
 */
export function withEarlierProblems<T>(earlier: readonly Problem[], work: () => T): T {
  let result: T;
  try {
    result = work();
  } catch (error) {
    if (earlier.length > 0 && error instanceof DomainError && error.problems.length > 0)
      throw invalidInput([...earlier, ...error.problems]);
    throw error;
  }
  if (earlier.length > 0) throw invalidInput(earlier);
  return result;
}

/** The one wording of each "there is no such thing" answer, wherever it is noticed. */
export const notFound = {
  plan: (idOrName: string) => new DomainError('PLAN_NOT_FOUND', `no plan with id or name "${idOrName}"`),
  space: (idOrName: string) => new DomainError('SPACE_NOT_FOUND', `no space with id or name "${idOrName}"`),
  allocation: (allocationId: string, spaceId: string) =>
    new DomainError('ALLOCATION_NOT_FOUND', `no allocation ${allocationId} in space ${spaceId}`),
  revision: (idOrName: string, revision: number) =>
    new DomainError('REVISION_NOT_FOUND', `plan "${idOrName}" has no revision ${revision}`),
  token: (id: string) => new DomainError('TOKEN_NOT_FOUND', `no unrevoked token with id "${id}"`),
};

/** An optimistic-concurrency refusal: the resource moved on since the client read it. */
export function revisionMismatch(resource: 'plan' | 'space', id: string, current: number, expected: number) {
  return new DomainError(
    'REVISION_MISMATCH',
    `${resource} ${id} is at revision ${current}, not ${expected}; read it again and retry`,
  );
}

/**
 * A refusal of something a request named in one of its fields (a space a plan takes a block
 * from), said of that field: each problem at `path`, and one there when it had none.
 */
export function refusalAt(path: string, what: string, error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  const problems =
    error.problems.length > 0 ? error.problems : [{ code: error.code, path, message: error.message }];
  return new DomainError(
    error.code,
    `${what}: ${error.message}`,
    problems.map((p) => ({ ...p, path, message: `${what}: ${p.message}` })),
  );
}
