/** Records which paths received a default, so that no default stays hidden from the client. */
export class DefaultsRecorder {
  readonly paths: string[] = [];

  /** Returns `given`, or `fallback` while recording `path` when nothing was given. */
  take<T>(path: string, given: T | undefined, fallback: T): T {
    if (given !== undefined) return given;
    this.paths.push(path);
    return fallback;
  }
}
