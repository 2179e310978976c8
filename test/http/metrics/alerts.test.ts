/** deploy/prometheus-alerts.yaml: well formed, and every metric it names is one the service exports. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useTestApp } from '../support/app.js';

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string };
}
const file = parse(
  readFileSync(new URL('../../../deploy/prometheus-alerts.yaml', import.meta.url), 'utf8'),
) as {
  groups: { name: string; rules: Rule[] }[];
};
const rules = file.groups.flatMap((g) => g.rules);

const ctx = useTestApp();

describe('deploy/prometheus-alerts.yaml', () => {
  it('has alerts with an expression, a duration, a severity and a summary, each named once', () => {
    expect(rules.length).toBeGreaterThanOrEqual(6);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^AksIp[A-Za-z]+$/);
      expect(rule.for).toMatch(/^\d+m$/);
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('names only metrics the service exports, labels included', async () => {
    // A plan with an outbound section and a recorded node, and a space: every series appears.
    const plan = await ctx.request.post('/v1/plans').send({
      name: 'prod',
      network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'system', nodeCount: 3 }],
      outbound: { type: 'loadBalancer', managedOutboundIps: 1, allocatedOutboundPorts: 1024 },
    });
    await ctx.request
      .put(`/v1/plans/${plan.body.id}/nodes/n1`)
      .send({ pool: 'system', nodeIp: '10.240.0.4' });
    await ctx.request.post('/v1/spaces').send({ name: 'corp', cidrs: ['10.0.0.0/16'] });
    await ctx.request.get('/v1/plans/nope');
    const { text } = await ctx.request.get('/metrics');
    const exported = new Set(text.split('\n').flatMap((l) => /^(aksip_[a-z_]+)[{ ]/.exec(l)?.[1] ?? []));
    for (const rule of rules) {
      for (const [, name] of rule.expr.matchAll(/\b(aksip_[a-z_]+)/g)) {
        expect(exported, `${rule.alert} names ${name}`).toContain(name);
      }
      for (const [, label] of `${rule.expr} ${rule.annotations.summary}`.matchAll(
        /\$labels\.([a-z_]+)|\{([a-z_]+)=/g,
      )) {
        if (label !== undefined) expect(text, `${rule.alert} uses label ${label}`).toContain(`${label}="`);
      }
    }
  });
});
