/**
 * The direction of imports: http -> service -> store -> domain; inside the domain, every arrow
 * points down its layers. Each rule says why it exists.
 */

/**
 * The domain's packages, bottom first. A package may import only packages of lower layers
 * (files at the domain's root, such as errors.ts, sit below them all).
 */
const DOMAIN_LAYERS = [
  ['ip'],
  ['design'],
  ['capacity', 'lookup'],
  ['layout'],
  ['plugins', 'space', 'egress', 'vnet'],
  ['plan'],
  ['nodes', 'imports', 'pods'],
  ['exports', 'map', 'records'],
];

const PLUGINS = ['azure-cni-node-subnet', 'azure-cni-overlay', 'azure-cni-pod-subnet', 'kubenet'];

const layerRules = DOMAIN_LAYERS.flatMap((layer, level) =>
  layer.map((pkg) => {
    const same = DOMAIN_LAYERS.slice(level)
      .flat()
      .filter((other) => other !== pkg);
    return {
      name: `domain-${pkg}-looks-down`,
      comment: `domain/${pkg} may import only lower layers: a package that imported its peers or those above would tangle the vocabulary with what uses it.`,
      severity: 'error',
      from: { path: `^src/domain/${pkg}/` },
      to: { path: `^src/domain/(${same.join('|')})/` },
    };
  }),
);

const pluginRules = PLUGINS.map((plugin) => ({
  name: `plugin-${plugin}-alone`,
  comment:
    'Plugins are siblings behind PluginModel: what two share lives in a shared folder, not in each other.',
  severity: 'error',
  from: { path: `^src/domain/plugins/${plugin}/` },
  to: { path: `^src/domain/plugins/(${PLUGINS.filter((p) => p !== plugin).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain knows nothing of HTTP, storage, services or configuration.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/(?!domain/)' },
    },
    {
      name: 'domain-has-no-frameworks',
      comment: 'No web framework, schema library or database driver in the domain.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: ['npm'],
        path: '(^|/)node_modules/(fastify|@fastify|fastify-type-provider-zod|zod|better-sqlite3|pg)/',
      },
    },
    {
      name: 'domain-has-no-node-modules',
      comment: 'The domain is synchronous arithmetic: no file system, network, crypto or clock of Node.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    ...layerRules,
    ...pluginRules,
    {
      name: 'ip-num-behind-domain-ip',
      comment: 'ip-num accepts too much; our strict IpAddress and Cidr values are the only door to it.',
      severity: 'error',
      from: { pathNot: '^src/domain/ip/' },
      to: { path: '(^|/)node_modules/ip-num/' },
    },
    {
      name: 'better-sqlite3-behind-store-sqlite',
      comment: 'SQLite is one backend behind the store seam; nothing else may reach for the driver.',
      severity: 'error',
      from: { pathNot: '^src/store/sqlite/' },
      to: { path: '(^|/)node_modules/better-sqlite3/' },
    },
    {
      name: 'pg-behind-store-postgres',
      comment: 'PostgreSQL is one backend behind the store seam; nothing else may reach for the driver.',
      severity: 'error',
      from: { pathNot: '^src/store/postgres/' },
      to: { path: '(^|/)node_modules/pg/' },
    },
    {
      name: 'store-does-not-know-http',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(http|service)/' },
    },
    {
      name: 'service-does-not-know-http',
      severity: 'error',
      from: { path: '^src/service/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'http-does-not-know-the-store',
      comment:
        'Routes call services; only the composition root (buildApp) hands the store to them. The error handler knows one error of the seam: a database that cannot be reached (503).',
      severity: 'error',
      from: { path: '^src/http/', pathNot: '^src/http/app\\.ts$' },
      to: { path: '^src/store/', pathNot: '^src/store/store-unavailable\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
