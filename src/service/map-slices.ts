import { bandSteps } from '../domain/map/segments.js';
import { svgMapSteps } from '../domain/map/svg-map.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import { runInSteps } from '../event-loop.js';
import { TimeSlices } from './time-slices.js';

/**
 * A design's map, drawn in slices: the largest plans (100 pools, 5,000 slots, dual-stack) take
 * a few hundred milliseconds to draw, and probes and other requests are answered meanwhile.
 */
export async function svgMapInSlices(design: PlannedDesign, sliceMs?: number): Promise<string> {
  const slices = new TimeSlices(sliceMs);
  // Between steps, a pause only when the slice has run its time.
  const pause = () => slices.maybePause();
  const bands = await runInSteps(bandSteps(design), pause);
  return runInSteps(svgMapSteps(design, bands), pause);
}
