import type { RangeCapacity, Requirement } from '../../domain/capacity/range-capacity.js';
import type { NodeSlot } from '../../domain/layout/layout-types.js';
import type { CapacityReport } from '../../domain/plan/plan-model.js';
import type { PlannedDesign } from '../../domain/plan/planner.js';
import type { PlanView, SpaceBlock } from '../../service/plan-service.js';
import { jsonCount } from './count.js';
import { presentVnet } from './vnet.js';

export function presentCapacity(report: CapacityReport) {
  return {
    verdict: report.verdict,
    ranges: report.ranges.map(presentRange),
    ...(report.snat === undefined ? {} : { snat: report.snat }),
    maxReach: [...report.maxReach],
    publicIps: report.publicIps,
    recommendation: report.recommendation,
  };
}

function presentRequirement(r: Requirement) {
  return {
    current: jsonCount(r.current),
    atMaxCount: jsonCount(r.atMaxCount),
    duringUpgrade: jsonCount(r.duringUpgrade),
  };
}

function presentRange(r: RangeCapacity) {
  return {
    kind: r.kind,
    cidr: r.cidr.toString(),
    total: jsonCount(r.total),
    azureReserved: jsonCount(r.azureReserved),
    usable: jsonCount(r.usable),
    required: presentRequirement(r.required),
    ...(r.requiredAtLeast === undefined ? {} : { requiredAtLeast: presentRequirement(r.requiredAtLeast) }),
    free: jsonCount(r.free),
    // Infinite where nothing is usable but something is required: JSON has no such number.
    utilization: Number.isFinite(r.utilization) ? r.utilization : null,
    nodeSlots: r.nodeSlots === null ? null : jsonCount(r.nodeSlots),
    verdict: r.verdict,
    explain: r.explain,
    recommendedPrefixLength: r.recommendedPrefixLength,
  };
}

export function presentSlot(slot: NodeSlot & { nodeName?: string }) {
  const { podRange, podCidr, podCidrs, podBlocks } = slot;
  return {
    pool: slot.pool,
    index: slot.index,
    ...(slot.nodeName === undefined ? {} : { nodeName: slot.nodeName }),
    fits: slot.fits,
    nodeIp: slot.nodeIp?.toString() ?? null,
    ...(podCidr === undefined ? {} : { podCidr: podCidr?.toString() ?? null }),
    ...(podCidrs === undefined ? {} : { podCidrs: podCidrs.map((c) => c?.toString() ?? null) }),
    ...(podBlocks === undefined ? {} : { podBlocks: podBlocks?.map(String) ?? null }),
    ...(podRange === undefined
      ? {}
      : {
          podRange: podRange && {
            first: podRange.first.toString(),
            last: podRange.last.toString(),
            count: podRange.count,
          },
        }),
  };
}

export function presentDesign(design: PlannedDesign) {
  return {
    spec: design.spec,
    defaultsApplied: [...design.defaultsApplied],
    warnings: [...design.warnings],
    capacity: presentCapacity(design.model.capacity()),
  };
}

/** The node slots a calculation shows: the first page, as `/nodes` would answer it. */
const FIRST_PAGE = 100;

/** A design as a calculation answers it: a plan's fields, its VNet and its first node slots. */
export function presentCalculation(design: PlannedDesign) {
  const { model } = design;
  return {
    ...presentDesign(design),
    vnet: presentVnet(model.vnet()),
    nodes: {
      total: model.slotCount(),
      items: model.slots({ offset: 0, limit: FIRST_PAGE }).map(presentSlot),
    },
  };
}

export function presentPlan({ plan, design }: PlanView) {
  return {
    id: plan.id,
    name: plan.name,
    revision: plan.revision,
    labels: plan.labels,
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
    ...presentDesign(design),
  };
}

export function presentBlock(block: SpaceBlock) {
  return {
    path: block.path,
    spaceId: block.spaceId,
    allocationId: block.allocationId,
    cidr: block.cidr.toString(),
  };
}
