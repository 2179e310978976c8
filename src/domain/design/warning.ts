/** A choice AKS accepts but that deserves a second look: stored and answered with the design. */
export interface Warning {
  readonly code: string;
  readonly message: string;
}
