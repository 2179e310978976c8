import { Cidr } from '../../domain/ip/index.js';
import type { StoredAllocation } from '../space-store.js';

/** An allocation as SQLite holds it, and as an idempotent answer is remembered. */
export interface AllocationRow {
  id: string;
  space_id: string;
  cidr: string;
  purpose: string;
  plan_id: string | null;
  created_at: string;
}

export function toRow(a: StoredAllocation): AllocationRow {
  return {
    id: a.id,
    space_id: a.spaceId,
    cidr: a.cidr.toString(),
    purpose: a.purpose,
    plan_id: a.planId,
    created_at: a.createdAt,
  };
}

export function toAllocation(row: AllocationRow): StoredAllocation {
  return {
    id: row.id,
    spaceId: row.space_id,
    cidr: Cidr.parse(row.cidr),
    purpose: row.purpose,
    planId: row.plan_id,
    createdAt: row.created_at,
  };
}
