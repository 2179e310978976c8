import { DomainError, type Problem } from '../errors.js';
import { Cidr, IpAddress } from '../ip/index.js';

/** Gathers every problem of a design, so that a client sees them all in one answer. */
export class ProblemCollector {
  readonly problems: Problem[] = [];

  add(code: string, path: string, message: string): void {
    this.problems.push({ code, path, message });
  }

  /** Parses a CIDR, recording the parse problem under `path` instead of throwing. */
  cidr(text: string, path: string): Cidr | undefined {
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
