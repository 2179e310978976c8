import { utilizationText, type Verdict } from '../domain/capacity/verdict.js';
import type { PlannedDesign } from '../domain/plan/planner.js';

const COLOURS: Record<Verdict, string> = {
  ok: '\u001b[32m',
  'at-risk': '\u001b[33m',
  exhausted: '\u001b[31m',
};
const RESET = '\u001b[0m';

/** The verdict and one row per range, as a terminal reads it; colours only when asked. */
export function capacityTable(design: PlannedDesign, colour: boolean): string {
  const { verdict, ranges, snat } = design.model.headroom();
  const paint = (v: Verdict) => (colour ? `${COLOURS[v]}${v}${RESET}` : v);
  const rows = [
    ['range', 'cidr', 'usable', 'now', 'at max', 'upgrade', 'free', 'use', 'verdict'],
    ...ranges.map((r) => [
      r.kind,
      r.cidr.toString(),
      String(r.usable),
      String(r.required.current),
      String(r.required.atMaxCount),
      String(r.required.duringUpgrade),
      String(r.free),
      utilizationText(r.utilization),
      r.verdict,
    ]),
  ];
  // The VNet's own verdict (a subnet that found no room) counts in the plan's: it has rows too.
  const vnet = design.model.vnet();
  for (const space of vnet.addressSpace)
    rows.push([
      'vnet',
      space.cidr.toString(),
      String(space.total),
      '-',
      '-',
      String(space.inSubnets),
      String(space.free),
      utilizationText(space.inSubnets / space.total),
      space.verdict,
    ]);
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  const lines = rows.map((row, i) =>
    row
      .map((cell, c) => {
        const padded = c >= 2 && c <= 7 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0);
        return i > 0 && c === row.length - 1 ? paint(cell as Verdict) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
  // Without outbound IPs of AKS's (userDefinedRouting, none, block) there are no ports to count.
  const snatLine =
    snat === undefined
      ? []
      : snat.outboundIps === null
        ? [`SNAT: none (outbound type ${snat.type})`]
        : [
            `SNAT: ${snat.required} nodes at the maxima, ports for ${snat.maxNodes ?? 'any number of'}: ${paint(snat.verdict)}`,
          ];
  const unplaced = vnet.subnets.filter((subnet) => subnet.cidr === null).map((subnet) => subnet.name);
  const vnetLine =
    unplaced.length === 0 ? [] : [`No room in the VNet for: ${unplaced.join(', ')}: ${paint('exhausted')}`];
  return [`${design.spec.name}: ${paint(verdict)}`, '', ...lines, ...snatLine, ...vnetLine, ''].join('\n');
}
