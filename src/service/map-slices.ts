import { bandSteps } from '../domain/map/segments.js';
import { svgMap } from '../domain/map/svg-map.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import { TimeSlices } from './time-slices.js';

/**
 * A design's map, drawn in slices: the largest plans (100 pools, 5,000 slots, dual-stack) take
 * a few hundred milliseconds to draw, and probes and other requests are answered meanwhile.
 */
export async function svgMapInSlices(design: PlannedDesign): Promise<string> {
  const steps = bandSteps(design);
  const slices = new TimeSlices();
  for (;;) {
    const step = steps.next();
    if (step.done) return svgMap(design, step.value);
    await slices.maybePause();
  }
}
