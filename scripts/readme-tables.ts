import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CATALOGUE } from '../src/http/error-catalogue.js';

const README = new URL('../README.md', import.meta.url);
const OPENAPI = new URL('../openapi.yaml', import.meta.url);

type Operation = { operationId: string; summary: string; tags?: string[] };

/** Every operation of the API document, grouped by tag in the order the tags first appear. */
export function apiTable(document: { paths: Record<string, Record<string, Operation>> }): string {
  const rows = Object.entries(document.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ tag: op.tags?.[0] ?? 'other', method, path, op })),
  );
  const tags = [...new Set(rows.map((r) => r.tag))];
  const lines = ['| tag | operation | route | what it does |', '| --- | --- | --- | --- |'];
  for (const tag of tags) {
    for (const r of rows.filter((row) => row.tag === tag)) {
      lines.push(
        `| ${tag} | \`${r.op.operationId}\` | \`${r.method.toUpperCase()} ${r.path}\` | ${r.op.summary} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Every error code with its status and title, from the error catalogue. */
export function errorTable(): string {
  const lines = ['| code | status | meaning |', '| --- | --- | --- |'];
  for (const e of CATALOGUE) lines.push(`| \`${e.code}\` | ${e.status} | ${e.title} |`);
  return lines.join('\n');
}

/** The README with the text between `<!-- name:start -->` and `<!-- name:end -->` replaced. */
export function withSection(readme: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no ${name} section`);
  return `${readme.slice(0, from + start.length)}\n${body}\n${readme.slice(to)}`;
}

export function generatedReadme(): string {
  const document = parse(readFileSync(OPENAPI, 'utf8'));
  const readme = readFileSync(README, 'utf8');
  return withSection(withSection(readme, 'api-table', apiTable(document)), 'error-table', errorTable());
}

// Only when run itself (by any path, a symbolic link too): a script of another folder that
// imports it and shares its name must not rewrite the README.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  writeFileSync(README, generatedReadme());
  process.stdout.write('wrote the README tables\n');
}
