/**
 * The README is part of the contract: its tables are generated from the API document and the
 * error catalogue, and every curl command it shows runs, in order, against a fresh service.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedReadme } from '../scripts/readme-tables.js';
import { WARNING_CODES } from '../src/domain/design/warning.js';
import { buildApp } from '../src/http/app.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** Shell words of one command: single and double quotes, backslash-newline continuations. */
function words(command: string): string[] {
  const out: string[] = [];
  let word = '';
  let quote: string | null = null;
  let started = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      started = true;
    } else if (c === '\\' && command[i + 1] === '\n') {
      i++;
    } else if (/\s/.test(c)) {
      if (started) out.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) out.push(word);
  return out;
}

interface Curl {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly expected?: number;
  readonly text: string;
}

/** The curl commands of the README's sh blocks, in order; commands reading stdin are left out. */
function curls(readme: string): Curl[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const commands: Curl[] = [];
  for (const block of blocks) {
    // A command ends at a newline outside quotes and not continued with a backslash.
    const lines = block.split('\n');
    let current = '';
    const flush = () => {
      const text = current.trim();
      current = '';
      if (!text.includes('curl ') || text.includes('@-')) return;
      const w = words(text.slice(text.indexOf('curl ')).replace(/\s+#.*$/, ''));
      const method = w.includes('-X') ? (w[w.indexOf('-X') + 1] ?? 'GET') : 'GET';
      const url = w.find((x) => x.includes('localhost:8080')) ?? '';
      const headers: Record<string, string> = {};
      w.forEach((x, i) => {
        if (x === '-H') {
          const [key = '', ...rest] = (w[i + 1] ?? '').split(':');
          headers[key.trim().toLowerCase()] = rest.join(':').trim();
        }
      });
      const body = w.includes('-d') ? w[w.indexOf('-d') + 1] : undefined;
      const expected = text.match(/# HTTP (\d{3})/)?.[1];
      commands.push({
        method,
        path: url.slice(url.indexOf('localhost:8080') + 'localhost:8080'.length),
        headers,
        ...(body === undefined ? {} : { body }),
        ...(expected === undefined ? {} : { expected: Number(expected) }),
        text,
      });
    };
    for (const line of lines) {
      if (current === '' && line.trim().startsWith('#')) continue;
      current += `${line}\n`;
      const open = (current.match(/'/g) ?? []).length % 2 === 1;
      if (!open && !line.endsWith('\\')) flush();
    }
    flush();
  }
  return commands;
}

/** What `export TOKEN=$(cat data/admin-token)` holds in the test: the app's admin token. */
const README_TOKEN = 'readme-admin-token-0123456789abcdef';

function withTokens(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('$TOKEN', README_TOKEN)]));
}

describe('README.md', () => {
  it('has the API and error tables generated from openapi.yaml and the error catalogue (npm run readme)', () => {
    expect(README).toBe(generatedReadme());
  });

  it('shows curl commands that all run, in order, against a fresh service', async () => {
    const commands = curls(README);
    expect(commands.length).toBeGreaterThan(10);
    // Every command authenticates as the quick start shows, so none passes by being open.
    for (const c of commands) expect(c.headers.authorization, c.text).toBe('Bearer $TOKEN');
    const app = await buildApp({ store: openSqliteStore(':memory:'), adminToken: README_TOKEN });
    await app.ready();
    const ids: Record<string, string> = {};
    try {
      for (const c of commands) {
        const path = c.path.replace(/\$(\w+)/g, (_, name: string) => ids[name] ?? `$${name}`);
        const res = await app.inject({
          method: c.method as 'GET',
          url: path,
          headers: withTokens(c.headers),
          ...(c.body === undefined ? {} : { payload: c.body }),
        });
        if (c.expected === undefined)
          expect(res.statusCode, `${c.text}\n-> ${res.body.slice(0, 400)}`).toBeLessThan(300);
        else expect(res.statusCode, c.text).toBe(c.expected);
        if (c.method === 'POST' && path === '/v1/plans' && res.statusCode === 201) ids.ID = res.json().id;
      }
    } finally {
      await app.close();
    }
  });

  it('names every warning a design can carry in its Warnings section', () => {
    const section = README.slice(README.indexOf('### Warnings'), README.indexOf('### Errors'));
    expect(WARNING_CODES.filter((code) => !section.includes(`\`${code}\``))).toEqual([]);
  });

  it('says which Node.js versions are supported and why', () => {
    expect(README).toMatch(/Node\.js 20, 22 (and|or) 24/);
    expect(README).toContain('EBADENGINE');
  });
});
