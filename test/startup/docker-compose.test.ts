/** docker-compose.yml cannot run here; what can be checked of it is checked. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

interface Service {
  environment?: Record<string, string>;
  command?: string;
  image?: string;
  volumes?: string[];
  build?: string;
}

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service> };

describe('docker-compose.yml', () => {
  const replicas = Object.entries(compose.services).filter(([, s]) => s.build === '.');

  it('runs two replicas of this image on the PostgreSQL service, configured as the service reads it', () => {
    expect(replicas.map(([name]) => name)).toEqual(['planner-1', 'planner-2']);
    for (const [, service] of replicas) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [
          k,
          v.replace(/\$\{[^}]+\}/g, 'x'.repeat(40)),
        ]),
      );
      const config = loadConfig(env);
      expect(new URL(config.postgres?.url ?? '').host).toBe('postgres:5432');
      expect(config.adminToken).toBeDefined();
    }
    expect(compose.services.postgres?.image).toMatch(/^postgres:17/);
  });

  it('sends the proxy to both replicas on the port they listen on, to those ready only', () => {
    expect(compose.services.proxy?.volumes).toEqual(['./deploy/Caddyfile:/etc/caddy/Caddyfile:ro']);
    const caddyfile = readFileSync(new URL('../../deploy/Caddyfile', import.meta.url), 'utf8');
    const [, targets] = /reverse_proxy ([^{]+)\{/.exec(caddyfile) ?? [];
    expect(targets?.trim().split(/\s+/)).toEqual(replicas.map(([name]) => `${name}:${loadConfig({}).port}`));
    expect(caddyfile).toMatch(/^\s+health_uri \/readyz$/m);
  });
});
