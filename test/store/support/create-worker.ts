// A separate OS process that races to create plans in a shared database file.
import { DomainError } from '../../../src/domain/errors.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';
import { planWrite } from '../contract/fixtures.js';

const [databasePath, name, attemptsText] = process.argv.slice(2);
if (databasePath === undefined || name === undefined)
  throw new Error('usage: create-worker DB NAME [ATTEMPTS]');
const store = openSqliteStore(databasePath);
const outcomes: string[] = [];
for (let i = 0; i < Number(attemptsText ?? '1'); i++) {
  try {
    await store.createPlan(planWrite(name));
    outcomes.push('created');
  } catch (error) {
    outcomes.push(error instanceof DomainError ? error.code : `unexpected: ${String(error)}`);
  }
}
await store.close();
process.stdout.write(JSON.stringify(outcomes));
