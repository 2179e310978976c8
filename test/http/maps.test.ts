import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './support/app.js';

const ctx = useTestApp();

const design = {
  name: 'prod',
  network: { plugin: 'azure-cni-node-subnet', nodeSubnet: '10.240.0.0/24' },
  nodePools: [{ name: 'system', nodeCount: 3, minCount: 3, maxCount: 5 }],
};

const CHROMIUM = '/usr/bin/chromium';
const hasBrowser = (() => {
  try {
    createRequire(import.meta.url).resolve('playwright-core');
    return existsSync(CHROMIUM);
  } catch {
    return false;
  }
})();

describe('the map of a plan, as SVG', () => {
  it('answers image/svg+xml for a stored plan and for a calculation', async () => {
    await ctx.request.post('/v1/plans').send(design);
    const stored = await ctx.request.get('/v1/plans/prod/map.svg').buffer(true);
    expect(stored.status).toBe(200);
    expect(stored.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(String(stored.body)).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const calculated = await ctx.request.post('/v1/calculations/map.svg').send(design).buffer(true);
    expect(String(calculated.body)).toBe(String(stored.body));
    expect((await ctx.request.get('/v1/plans/nope/map.svg')).status).toBe(404);
  });

  it.skipIf(!hasBrowser)(
    'renders in a real browser with every element it was sent',
    async () => {
      await ctx.request.post('/v1/plans').send(design);
      const svg = String((await ctx.request.get('/v1/plans/prod/map.svg').buffer(true)).body);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        // Parsed as XML (a stray character would fail here), then counted as the browser sees it.
        await page.setContent('<html><body></body></html>');
        const counted = await page.evaluate((text) => {
          const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
          if (doc.querySelector('parsererror') !== null) return null;
          document.body.appendChild(document.importNode(doc.documentElement, true));
          const box = document.querySelector('svg')?.getBoundingClientRect();
          return {
            rects: document.querySelectorAll('svg rect').length,
            titles: document.querySelectorAll('svg title').length,
            width: box?.width,
          };
        }, svg);
        expect(counted).toEqual({
          rects: svg.match(/<rect /g)?.length,
          titles: svg.match(/<title>/g)?.length,
          width: 1200,
        });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
