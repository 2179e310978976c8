// A separate OS process that writes to a shared database file: `create NAME SUBNET`, `delete NAME`,
// or `pods NAME AT IP/POD/NODE...` (a pod import observed at AT).
import { IpAddress } from '../../../src/domain/ip/index.js';
import { createServices } from '../../../src/service/services.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';

const [databasePath, action, name, subnet, ...pods] = process.argv.slice(2);
if (databasePath === undefined || name === undefined)
  throw new Error('usage: plan-writer DB create|delete|pods NAME [SUBNET|AT POD...]');
const store = openSqliteStore(databasePath);
const { plans } = createServices(store);
if (action === 'pods' && subnet !== undefined) {
  const { plan } = await plans.get(name);
  const seen = pods.map((spec) => {
    const [ip = '', pod = '', node = null] = spec.split('/');
    return {
      ip: IpAddress.parse(ip),
      namespace: 'shop',
      pod,
      ownerKind: null,
      ownerName: null,
      node,
      hostNetwork: false,
    };
  });
  await store.recordPods(plan.id, seen, subnet);
} else if (action === 'create') {
  await plans.create({
    name,
    network: { plugin: 'azure-cni-node-subnet', nodeSubnet: subnet ?? '10.240.0.0/24' },
    nodePools: [{ name: 'system', nodeCount: 3, maxPods: 30 }],
  });
} else {
  await plans.delete(name);
}
await store.close();
