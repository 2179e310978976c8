/** The direction of imports: http -> service -> domain, store -> domain; domain -> nothing of ours outside it. */
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
        path: '(^|/)node_modules/(fastify|@fastify|fastify-type-provider-zod|zod|better-sqlite3)/',
      },
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
