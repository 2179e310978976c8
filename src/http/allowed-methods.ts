/**
 * The methods each registered path answers, so that a known path asked with another method is
 * told 405 and which methods it takes (Allow), and only an unknown path is 404.
 */
export class AllowedMethods {
  private readonly routes: { readonly pattern: RegExp; readonly methods: readonly string[] }[] = [];

  /** A route as Fastify registers it: `/v1/plans/:id/nodes`, or `/docs/*`. */
  add(method: string | readonly string[], url: string): void {
    // A catch-all (CORS preflight answers OPTIONS on every path) says nothing of a path.
    if (url === '*' || url === '/*') return;
    const source = url
      .split('/')
      .map((part) =>
        part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    const methods = typeof method === 'string' ? [method] : method;
    // Exact: the router does not take a trailing slash, so a path with one is another path (404).
    this.routes.push({ pattern: new RegExp(`^${source}$`), methods });
  }

  /** The methods `path` answers (HEAD with GET, as Fastify answers it); none for an unknown path. */
  of(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.routes) {
      if (!route.pattern.test(path)) continue;
      for (const method of route.methods) methods.add(method);
    }
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}
