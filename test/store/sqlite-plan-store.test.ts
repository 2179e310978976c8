import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.js';
import { planStoreContract } from './plan-store-contract.js';

planStoreContract('SQLite in memory', () => openSqliteStore(':memory:'));
planStoreContract('SQLite file (WAL)', () =>
  openSqliteStore(join(mkdtempSync(join(tmpdir(), 'ipam-')), 'nested', 'ipam.db')),
);
