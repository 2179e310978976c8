/** How a worker thread is started from a module next to its starter. */
export interface WorkerScript {
  readonly script: string | URL;
  readonly eval: boolean;
}

/**
 * The worker module `name` next to `starter` (an `import.meta.url`): the compiled JavaScript, or,
 * where this runs from source (tests, the bench, `npm run dev`), the TypeScript through tsx's
 * loader, registered in the worker first: a worker does not take `--import` from its execArgv on
 * Node 20.
 */
export function workerScript(starter: string, name: string): WorkerScript {
  if (!starter.endsWith('.ts')) return { script: new URL(`./${name}.js`, starter), eval: false };
  const source = JSON.stringify(new URL(`./${name}.ts`, starter).href);
  // Resolved here: the worker's own resolution starts from the working directory, which may be
  // outside the repository.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return {
    script: `import(${tsx}).then(({ register }) => { register(); return import(${source}); })`,
    eval: true,
  };
}
