import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const dir = new URL('../deploy/', import.meta.url);
const documents = (name: string) => parseAllDocuments(readFileSync(new URL(name, dir), 'utf8'));

describe('Dockerfile', () => {
  it('copies into the runtime image every file the service reads at run time', () => {
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const copied = [...runtime.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap(
      (m) => m[1]?.split(' ') ?? [],
    );
    // package.json (the version), the migrations, and the published OpenAPI document.
    expect(copied.sort()).toEqual(['migrations', 'openapi.yaml', 'package.json']);
  });
});

describe('deploy/', () => {
  it('holds YAML that parses, every document of every file', () => {
    for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      for (const doc of documents(name)) expect(doc.errors, name).toEqual([]);
    }
  });

  it("runs aks-ip record in the CronJob with the recorder's server and token, reading nodes and pods only", () => {
    const docs = documents('record-cronjob.yaml').map((d) => d.toJS());
    const cronJob = docs.find((d) => d.kind === 'CronJob');
    const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    expect([...container.command, ...container.args]).toEqual([
      'node',
      // A large cluster's pod list is parsed whole: more heap than Node gives by default.
      '--max-old-space-size=1536',
      'dist/cli.js',
      'record',
      '--kubectl',
      '/tools/kubectl',
      '--plan',
      'prod-weu-1',
    ]);
    expect(container.env.map((e: { name: string }) => e.name)).toEqual(['AKS_IP_SERVER', 'AKS_IP_TOKEN']);
    const role = docs.find((d) => d.kind === 'ClusterRole');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['nodes', 'pods'], verbs: ['get', 'list'] }]);
  });
});
