/** The kinds of address range a plan uses. */
export type RangeKind = 'node-subnet' | 'pod-subnet' | 'pod-cidr' | 'service-cidr';

/** Kinds of range a plan is stored with: its address ranges, and its VNet address space. */
export type StoredRangeKind = RangeKind | 'vnet';
