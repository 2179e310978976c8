import { utilizationText, type Verdict } from '../capacity/verdict.js';
import type { Cidr } from '../ip/index.js';
import type { PlannedDesign } from '../plan/planner.js';
import { allSteps } from '../steps.js';
import type { VnetView } from '../vnet/vnet-view.js';
import { type Band, bandsOf, type Segment, type SegmentClass } from './segments.js';

const WIDTH = 1200;
const MARGIN = 24;
const BAR = WIDTH - 2 * MARGIN;
/** Room kept right of the bar to draw what does not fit. */
const OVERFLOW_ROOM = 140;
const BAND_HEIGHT = 34;
const BAND_STEP = 92;
const TOP = 90;
/** Subnet labels slant below the VNet band, so that narrow neighbours stay readable. */
const LABEL_ANGLE = 30;
const SUBNET_FILL = { 'cluster-subnet': '#1565c0', 'platform-subnet': '#5e35b1' } as const;

const FILL: Record<SegmentClass, string> = {
  reserved: '#9e9e9e',
  current: '#1565c0',
  growth: '#43a047',
  surge: '#fb8c00',
  reservation: '#8e24aa',
  pods: '#26a69a',
  service: '#6d4c41',
  free: '#eceff1',
};

const LEGEND: [SegmentClass | 'overflow' | 'platform', string][] = [
  ['reserved', 'Azure reserved'],
  ['current', 'current nodes'],
  ['growth', 'autoscaler growth'],
  ['surge', 'upgrade surge'],
  ['reservation', 'load balancers, private endpoints'],
  ['pods', 'pods (dynamic)'],
  ['service', 'API and DNS services'],
  ['platform', 'platform subnets (VNet band)'],
  ['free', 'free'],
  ['overflow', 'does not fit'],
];

/** Node slots are outlined, so that neighbours of one colour stay apart. */
const SLOTS: ReadonlySet<SegmentClass> = new Set(['current', 'growth', 'surge']);

const VERDICT_COLOUR: Record<Verdict, string> = { ok: '#2e7d32', 'at-risk': '#ef6c00', exhausted: '#c62828' };

/** The characters below U+0020 that XML 1.0 cannot hold: all but tab, line feed and carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it finds
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/**
 * Text for SVG: the five characters XML reserves, escaped, and the control characters XML 1.0
 * cannot hold even escaped (all below U+0020 but tab and line breaks) shown as U+FFFD. Names are
 * checked when a plan is written; a restored dump's are not checked again.
 */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(NOT_XML, '\ufffd');
}

/**
 * A picture of a design's address space: one band per range, drawn to scale, each node slot,
 * reservation and free stretch a rectangle with a tooltip; runs of slots thinner than a pixel
 * are drawn as one (their tooltip says how many), so 1,000 slots stay readable. What does not
 * fit is drawn past the end of its band.
 */
export function svgMap(design: PlannedDesign, bands: readonly Band[] = bandsOf(design)): string {
  return allSteps(svgMapSteps(design, bands));
}

/**
 * `svgMap` a band at a time: each step draws one band, the last answers the map. A caller
 * lets other work run between steps (5,000 slots over 100 pools take a few tens of ms to draw).
 */
export function* svgMapSteps(design: PlannedDesign, bands: readonly Band[]): Generator<void, string> {
  const { verdict } = design.model.headroom();
  const vnet = design.model.vnet();
  const step = vnetStep(vnet);
  const top = TOP + vnet.addressSpace.length * step;
  const height = top + bands.length * BAND_STEP + 70;
  const drawn = vnet.addressSpace.map((space, i, all) =>
    vnetBandSvg(vnet, space.cidr, TOP + i * step, i === all.length - 1),
  );
  for (const [i, band] of bands.entries()) {
    yield;
    drawn.push(bandSvg(band, top + i * BAND_STEP));
  }
  const body = drawn.join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${esc(`${design.spec.name}: ${verdict}`)}</title>`,
    '<defs><pattern id="overflow" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffcdd2"/><rect width="3" height="8" fill="#c62828"/></pattern></defs>',
    `<text x="${MARGIN}" y="30" font-size="18" font-weight="600">${esc(design.spec.name)} <tspan fill="${VERDICT_COLOUR[verdict]}">${esc(verdict)}</tspan></text>`,
    `<text x="${MARGIN}" y="48" fill="#555">${esc(`${design.spec.network.plugin}, ${design.spec.nodePools.length} pool(s), ${design.model.slotCount()} node slots`)}</text>`,
    body,
    legend(top + bands.length * BAND_STEP + 16),
    '</svg>',
    '',
  ].join('\n');
}

/** Subnets without room listed by name past the last VNet band, one a line; the rest counted. */
const MISSING_LISTED = 8;
/** What fits on a line of the overflow room (about 6.5 px a character). */
const MISSING_LINE_CHARS = 22;
const LINE_HEIGHT = 14;

/** Room for a VNet band and its slanted labels (measured at about 6.5 px a character), or its list of what found no room. */
function vnetStep(vnet: VnetView): number {
  const longest = Math.max(0, ...vnet.subnets.map((s) => `${s.name} ${s.cidr}`.length));
  const labels = 60 + Math.ceil(longest * 6.5 * Math.sin((LABEL_ANGLE * Math.PI) / 180));
  return BAND_HEIGHT + Math.max(labels, 30 + missingLines(vnet).length * LINE_HEIGHT);
}

/** The lines naming the subnets without room: each cut to the overflow room's width. */
function missingLines(vnet: VnetView): string[] {
  const missing = vnet.subnets.filter((s) => s.cidr === null);
  if (missing.length === 0) return [];
  // The name gives way in its middle (names of a kind differ at their ends); the size stays.
  const line = (name: string, size: string) => {
    const room = MISSING_LINE_CHARS - size.length;
    if (name.length <= room) return `${name}${size}`;
    const head = Math.floor((room - 1) / 2);
    return `${name.slice(0, head)}\u2026${name.slice(name.length - (room - 1 - head))}${size}`;
  };
  const listed = missing.slice(0, MISSING_LISTED).map((s) => line(s.name, ` /${s.prefixLength}`));
  const more = missing.length - listed.length;
  return ['no room:', ...listed, ...(more > 0 ? [`and ${more} more`] : [])];
}

/**
 * A VNet range: every subnet in it to scale, labelled below at a slant. The subnets without room
 * are drawn once, past the end of the last range, listed one a line below it.
 */
function vnetBandSvg(vnet: VnetView, cidr: Cidr, y: number, last: boolean): string {
  const size = Number(cidr.size);
  const missing = vnet.subnets.filter((s) => s.cidr === null);
  const bar = missing.length > 0 ? BAR - OVERFLOW_ROOM : BAR;
  const x = (address: Cidr['first']) => MARGIN + (Number(address.value - cidr.first.value) / size) * bar;
  const inside = vnet.subnets.filter((s) => s.cidr !== null && cidr.covers(s.cidr));
  const heading = `VNet ${cidr}: ${inside.length} subnet(s), ${vnet.addressSpace.find((a) => a.cidr.equals(cidr))?.free ?? 0} addresses in no subnet`;
  const parts = [
    `<g class="band vnet" data-kind="vnet">`,
    `<text x="${MARGIN}" y="${y - 8}">${esc(heading)} <tspan fill="${VERDICT_COLOUR[vnet.verdict]}" font-weight="600">${esc(vnet.verdict)}</tspan></text>`,
    `<rect class="segment free" x="${MARGIN}" y="${y}" width="${bar}" height="${BAND_HEIGHT}" fill="${FILL.free}"><title>${esc(`${cidr}: free where no subnet is drawn`)}</title></rect>`,
  ];
  for (const subnet of inside) {
    const range = subnet.cidr as Cidr;
    const [from, to] = [x(range.first), x(range.last) + bar / size];
    const cls =
      subnet.role === 'aks-nodes' || subnet.role === 'aks-pods' ? 'cluster-subnet' : 'platform-subnet';
    const label = `${subnet.name} ${range}`;
    parts.push(
      `<rect class="segment ${cls}" x="${from.toFixed(2)}" y="${y}" width="${Math.max(to - from, 2).toFixed(2)}" height="${BAND_HEIGHT}" fill="${SUBNET_FILL[cls]}" stroke="#fff" stroke-width="0.5"><title>${esc(`${label}: ${subnet.holds}`)}</title></rect>`,
      `<text class="subnet-label" x="${(from + 2).toFixed(2)}" y="${y + BAND_HEIGHT + 12}" transform="rotate(${LABEL_ANGLE} ${(from + 2).toFixed(2)} ${y + BAND_HEIGHT + 12})" fill="#333">${esc(label)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN}" y="${y}" width="${bar}" height="${BAND_HEIGHT}" fill="none" stroke="#607d8b"/>`,
  );
  if (missing.length > 0 && last) {
    const names = missing.map((s) => `${s.name} /${s.prefixLength}`).join(', ');
    const left = MARGIN + bar + 12;
    const lines = missingLines(vnet).map(
      (line) => `<tspan x="${left}" dy="${LINE_HEIGHT}">${esc(line)}</tspan>`,
    );
    parts.push(
      `<rect class="overflow" x="${left}" y="${y}" width="${OVERFLOW_ROOM - 12}" height="${BAND_HEIGHT}" fill="url(#overflow)"><title>${esc(`no room for ${names}: ${vnet.missingAddresses} addresses missing`)}</title></rect>`,
      `<text class="missing" x="${left}" y="${y + BAND_HEIGHT}" fill="#c62828">${lines.join('')}</text>`,
    );
  }
  parts.push('</g>');
  return parts.join('\n');
}

function bandSvg(band: Band, y: number): string {
  const { range } = band;
  const bar = band.shortfall > 0n ? BAR - OVERFLOW_ROOM : BAR;
  const size = Number(range.cidr.size);
  const x = (offset: bigint) => MARGIN + (Number(offset) / size) * bar;
  const heading = `${range.kind} ${range.cidr}: ${range.required.duringUpgrade} of ${range.usable} usable at the maxima during an upgrade (${utilizationText(range.utilization)})`;
  const parts = [
    `<g class="band" data-kind="${esc(range.kind)}">`,
    `<text x="${MARGIN}" y="${y - 8}">${esc(heading)} <tspan fill="${VERDICT_COLOUR[range.verdict]}" font-weight="600">${esc(range.verdict)}</tspan></text>`,
    // Free space first: a segment widened to be seen is drawn over its free neighbour, not under it.
    ...byFreeFirst(merged(band.segments, x)).map(
      (s) =>
        `<rect class="segment ${s.cls}" x="${x(s.from).toFixed(2)}" y="${y}" width="${Math.max(x(s.to) - x(s.from), s.cls === 'free' ? 0.5 : 2).toFixed(2)}" height="${BAND_HEIGHT}" fill="${FILL[s.cls]}"${SLOTS.has(s.cls) ? ' stroke="#fff" stroke-width="0.5"' : ''}><title>${esc(s.title)}</title></rect>`,
    ),
    `<rect x="${MARGIN}" y="${y}" width="${bar}" height="${BAND_HEIGHT}" fill="none" stroke="#607d8b"/>`,
    `<text x="${MARGIN}" y="${y + BAND_HEIGHT + 14}" fill="#555">${esc(range.cidr.first.toString())}</text>`,
    `<text x="${MARGIN + bar}" y="${y + BAND_HEIGHT + 14}" fill="#555" text-anchor="end">${esc(range.cidr.last.toString())}</text>`,
  ];
  if (band.shortfall > 0n) {
    const width = OVERFLOW_ROOM - 12;
    parts.push(
      `<rect class="overflow" x="${MARGIN + bar + 12}" y="${y}" width="${width}" height="${BAND_HEIGHT}" fill="url(#overflow)"><title>${esc(`${band.shortfall} addresses short${band.overflowSlots > 0 ? `: ${band.overflowSlots} node slot(s) do not fit` : ''}`)}</title></rect>`,
      `<text x="${MARGIN + bar + 12 + width / 2}" y="${y + BAND_HEIGHT + 14}" fill="#c62828" text-anchor="middle">${esc(`${band.shortfall} short`)}</text>`,
    );
  }
  parts.push('</g>');
  return parts.join('\n');
}

function byFreeFirst(segments: readonly Segment[]): Segment[] {
  return [...segments.filter((s) => s.cls === 'free'), ...segments.filter((s) => s.cls !== 'free')];
}

/**
 * Segments narrower than a pixel merged with their neighbours of the same class: a run of 1,000
 * thin slots becomes one rectangle whose tooltip counts them.
 */
function merged(segments: readonly Segment[], x: (offset: bigint) => number): Segment[] {
  const out: Segment[] = [];
  // The run being merged: its first segment, how far it reaches, and how many it holds.
  let run: { first: Segment; to: bigint; count: number } | undefined;
  const flush = () => {
    if (run === undefined) return;
    const { first, to, count } = run;
    out.push(
      count === 1
        ? first
        : { ...first, to, title: `${count} ${first.cls} stretches: ${first.title.split(':')[0]} ...` },
    );
    run = undefined;
  };
  for (const segment of segments) {
    const thin = x(segment.to) - x(segment.from) < 1;
    if (run !== undefined && thin && run.first.cls === segment.cls) {
      run.to = segment.to;
      run.count++;
      continue;
    }
    flush();
    run = { first: segment, to: segment.to, count: 1 };
    if (!thin) flush();
  }
  flush();
  return out;
}

/** The legend, in rows that fit the width (labels measured at about 6.5 px a character). */
function legend(y: number): string {
  let [x, row] = [MARGIN, y];
  return LEGEND.map(([cls, label]) => {
    const width = 20 + Math.ceil(label.length * 6.5) + 18;
    if (x + width > WIDTH - MARGIN) [x, row] = [MARGIN, row + 22];
    const fill =
      cls === 'overflow' ? 'url(#overflow)' : cls === 'platform' ? SUBNET_FILL['platform-subnet'] : FILL[cls];
    const item = `<rect class="legend" x="${x}" y="${row}" width="14" height="14" fill="${fill}" stroke="#607d8b"/><text x="${x + 20}" y="${row + 11}">${esc(label)}</text>`;
    x += width;
    return item;
  }).join('\n');
}
