import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTH, registerAuth } from '../../../src/http/auth.js';
import { TokenService } from '../../../src/service/token-service.js';
import { openSqliteStore } from '../../../src/store/sqlite/open-sqlite.js';

describe('every route declares who may call it', () => {
  it('refuses to register a route without a scope', async () => {
    const app = Fastify();
    registerAuth(app, new TokenService(openSqliteStore(':memory:').tokens), DEFAULT_AUTH);
    app.get('/v1/open', { config: { scope: 'read' } }, async () => 'fine');
    expect(() => app.get('/v1/forgotten', async () => 'oops')).toThrow(
      'route GET /v1/forgotten declares no scope in config.scope',
    );
    await app.close();
  });
});
