// A separate OS process that fires allocations of mixed sizes into a shared database file.
import { DomainError } from '../../../src/domain/errors.js';
import { SpaceService } from '../../../src/service/space-service.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';

const [databasePath, space, sizesText] = process.argv.slice(2);
if (databasePath === undefined || space === undefined || sizesText === undefined) {
  throw new Error('usage: allocate-worker DB SPACE PREFIX,PREFIX,...');
}
const store = openSqliteStore(databasePath);
const spaces = new SpaceService(store.spaces);
const outcomes: { prefixLength: number; cidr?: string; code?: string }[] = [];
for (const prefixLength of sizesText.split(',').map(Number)) {
  try {
    const { allocation } = await spaces.allocate(
      space,
      { prefixLength, purpose: `pid ${process.pid}` },
      undefined,
    );
    outcomes.push({ prefixLength, cidr: allocation.cidr.toString() });
  } catch (error) {
    outcomes.push({
      prefixLength,
      code: error instanceof DomainError ? error.code : `unexpected: ${String(error)}`,
    });
  }
}
await store.close();
process.stdout.write(JSON.stringify(outcomes));
