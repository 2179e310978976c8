import type { Conflict, ConflictSide, HeldRange } from '../../domain/space/conflicts.js';
import { MAX_HOLDERS_PER_SIDE } from '../schemas/conflict.js';

const presentHolder = (r: HeldRange) => ({ ...r.holder, kind: r.kind, cidr: r.cidr.toString() });

function presentSide(side: ConflictSide) {
  return {
    kind: side.kind,
    cidr: side.cidr.toString(),
    holderCount: side.holderCount,
    holders: side.holders(MAX_HOLDERS_PER_SIDE).map(presentHolder),
  };
}

export function presentConflict(c: Conflict) {
  return { code: c.code, severity: c.severity, message: c.message, sides: c.sides.map(presentSide) };
}
