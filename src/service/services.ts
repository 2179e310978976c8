import type { Store } from '../store/store.js';
import { ComparisonService } from './comparison-service.js';
import { ConflictService } from './conflict-service.js';
import { DesignCache } from './design-cache.js';
import { HeadroomService } from './headroom-service.js';
import { HistoryService } from './history-service.js';
import { LookupService } from './lookup-service.js';
import { NodeService } from './node-service.js';
import { PlanIndex } from './plan-index.js';
import { PlanService } from './plan-service.js';
import { PodService } from './pod-service.js';
import { DEFAULT_RECORD_INDEX, RecordIndex, type RecordIndexOptions } from './record-index.js';
import { SpaceService } from './space-service.js';
import { type TokenOptions, TokenService } from './token-service.js';

/** Every use case over one store, sharing one cache of laid-out designs. */
export interface Services {
  readonly plans: PlanService;
  readonly nodes: NodeService;
  readonly pods: PodService;
  readonly lookups: LookupService;
  readonly comparisons: ComparisonService;
  readonly spaces: SpaceService;
  readonly conflicts: ConflictService;
  readonly tokens: TokenService;
  readonly history: HistoryService;
  readonly headroom: HeadroomService;
}

export interface ServiceOptions extends TokenOptions {
  readonly designCacheBytes?: number | undefined;
  readonly records?: RecordIndexOptions | undefined;
}

export function createServices(store: Store, options: ServiceOptions = {}): Services {
  const designs = new DesignCache(options.designCacheBytes);
  const plans = new PlanService(store, designs);
  const records = new RecordIndex(store, { ...(options.records ?? DEFAULT_RECORD_INDEX), now: options.now });
  const index = new PlanIndex(store, (planId) => records.forget(planId));
  const spaces = new SpaceService(store.spaces);
  return {
    plans,
    nodes: new NodeService(store, plans, options.now),
    // The history route forgets what lookups forget, by the same clock and retention.
    pods: new PodService(store, plans, options.now, () => records.expiredBefore()),
    lookups: new LookupService(store, designs, index, records),
    comparisons: new ComparisonService(plans),
    spaces,
    headroom: new HeadroomService(store, designs, index, spaces),
    conflicts: new ConflictService(store),
    tokens: new TokenService(store.tokens, options),
    history: new HistoryService(store),
  };
}
