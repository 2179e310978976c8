import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PlanInputSchema } from '../../src/http/schemas/plan-input.js';
import { useTestApp } from './support/app.js';

const examples = (z.globalRegistry.get(PlanInputSchema)?.examples ?? []) as unknown as {
  name: string;
  network: { plugin: string };
}[];

describe('the OpenAPI examples of a plan body', () => {
  const ctx = useTestApp();

  it('cover every plugin', () => {
    const plugins = examples.map((e) => e.network.plugin);
    expect(new Set(plugins)).toEqual(
      new Set(['azure-cni-node-subnet', 'azure-cni-overlay', 'azure-cni-pod-subnet', 'kubenet']),
    );
  });

  it.each(examples.map((e) => [e.name, e]))('%s is a design the service accepts', async (_name, example) => {
    const res = await ctx.request.post('/v1/calculations').send(example);
    expect(res.status).toBe(200);
    expect(res.body.capacity.verdict).not.toBe('exhausted');
  });
});
