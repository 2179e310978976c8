// A separate OS process that writes plans to a shared database file: `create NAME SUBNET` or `delete NAME`.
import { createServices } from '../../../src/service/services.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';

const [databasePath, action, name, subnet] = process.argv.slice(2);
if (databasePath === undefined || name === undefined)
  throw new Error('usage: plan-writer DB create|delete NAME [SUBNET]');
const store = openSqliteStore(databasePath);
const { plans } = createServices(store);
if (action === 'create') {
  await plans.create({
    name,
    network: { plugin: 'azure-cni-node-subnet', nodeSubnet: subnet ?? '10.240.0.0/24' },
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
  });
} else {
  await plans.delete(name);
}
await store.close();
