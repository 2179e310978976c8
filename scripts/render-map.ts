/**
 * `npm run map:example`: renders the README's example map (docs/map-example.svg and .png) in
 * headless Chromium (Debian's chromium with playwright-core), and checks the browser drew every
 * rectangle the SVG holds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { svgMap } from '../src/domain/map/svg-map.js';
import { planDesign } from '../src/domain/plan/planner.js';

const design = planDesign({
  name: 'prod-weu-1',
  network: {
    plugin: 'kubenet',
    vnetAddressSpace: ['10.240.0.0/23'],
    nodeSubnet: '10.240.0.0/26',
    podCidr: '10.244.0.0/20',
  },
  nodePools: [
    { name: 'system', nodeCount: 3, minCount: 3, maxCount: 5 },
    { name: 'user', mode: 'User', nodeCount: 4, minCount: 4, maxCount: 10, maxSurge: 2 },
  ],
  reservations: { internalLoadBalancers: 2 },
  platformSubnets: [
    { role: 'azure-firewall' },
    { role: 'bastion' },
    { role: 'gateway' },
    { role: 'api-server' },
  ],
  outbound: { type: 'userDefinedRouting' },
});
const svg = svgMap(design);
mkdirSync('docs', { recursive: true });
writeFileSync('docs/map-example.svg', svg);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 400 } });
  await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
  const drawn = await page.$$eval('svg rect', (r) => r.length);
  const sent = svg.match(/<rect /g)?.length ?? 0;
  if (drawn !== sent) throw new Error(`the browser drew ${drawn} rectangles of ${sent}`);
  await page.locator('svg').screenshot({ path: 'docs/map-example.png' });
  process.stdout.write(`docs/map-example.png: ${drawn} rectangles\n`);
} finally {
  await browser.close();
}
