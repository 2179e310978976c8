import type { DomainErrorCode } from '../error-codes.js';
import { DomainError, invalidInput, type Problem } from '../errors.js';
import { Cidr, IpAddress } from '../ip/index.js';

/** Gathers every problem of a design, so that a client sees them all in one answer. */
export class ProblemCollector {
  readonly problems: Problem[] = [];

  /** `pending`: texts standing in for ranges not allocated yet; rules about them wait. */
  constructor(private readonly pending: ReadonlySet<string> = new Set()) {}

  add(code: DomainErrorCode, path: string, message: string): void {
    this.problems.push({ code, path, message });
  }

  /** Throws every problem gathered so far as one DomainError; does nothing when there is none. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw invalidInput(this.problems);
  }

  /**
   * Parses a CIDR, recording the parse problem under `path` instead of throwing. A pending
   * range answers undefined without a problem, as an unparsed one does: no rule runs on it.
   */
  cidr(text: string, path: string): Cidr | undefined {
    if (this.pending.has(text)) return undefined;
    return this.parsed(() => Cidr.parse(text), path);
  }

  /** Parses an address, recording the parse problem under `path` instead of throwing. */
  address(text: string, path: string): IpAddress | undefined {
    return this.parsed(() => IpAddress.parse(text), path);
  }

  private parsed<T>(parse: () => T, path: string): T | undefined {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.add(error.code, path, error.message);
      return undefined;
    }
  }
}
