import { stringify } from 'yaml';
import { buildApp } from '../src/http/app.js';
import { attachExamples, EXAMPLE_ADMIN_TOKEN, runExamples } from '../src/http/openapi/run-examples.js';
import { fixedRandom } from '../src/service/fixed-random.js';
import { fixedClock } from '../src/store/fixed-clock.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';

/**
 * The OpenAPI document the service publishes: the running app's own document, with the example
 * story run against a fresh database on a fixed clock, so that every response example is a real
 * answer and the file is the same on every run.
 */
export async function openapiYaml(): Promise<string> {
  const app = await exampleApp();
  const document = structuredClone(app.swagger()) as Record<string, unknown>;
  const results = await runExamples(app, document);
  const failed = results.filter((r) => r.status !== r.step.status);
  await app.close();
  if (failed.length > 0) {
    const lines = failed.map(
      (r) => `${r.step.operationId} ${r.step.name}: ${r.status} ${JSON.stringify(r.body)}`,
    );
    throw new Error(`example steps failed:\n${lines.join('\n')}`);
  }
  return stringify(attachExamples(document, results), { lineWidth: 0 });
}

/** The app the example story runs against: a fresh database, a fixed clock, fixed token secrets. */
export async function exampleApp() {
  const clock = fixedClock();
  const app = await buildApp({
    store: openSqliteStore(':memory:', clock),
    adminToken: EXAMPLE_ADMIN_TOKEN,
    random: fixedRandom(),
    now: clock.now,
    // The story documents answers, not load: a busy machine (a test run beside it) must not turn
    // its examples into 503 OVERLOADED.
    edge: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 },
  });
  await app.ready();
  return app;
}
