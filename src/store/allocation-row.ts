import { Cidr } from '../domain/ip/index.js';
import type { StoredAllocation } from './space-store.js';

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

const TEXT_FIELDS = ['id', 'space_id', 'cidr', 'purpose', 'created_at'] as const;

/** A remembered answer, checked: a damaged row fails here rather than as a malformed response. */
export function asAllocationRow(value: unknown): AllocationRow {
  const row = value as Record<string, unknown> | null;
  const fits =
    typeof row === 'object' &&
    row !== null &&
    TEXT_FIELDS.every((field) => typeof row[field] === 'string') &&
    (row.plan_id === null || typeof row.plan_id === 'string');
  if (!fits) throw new Error('stored idempotent answer is damaged');
  return value as AllocationRow;
}
