import { bandSteps } from '../domain/map/segments.js';
import { svgMapSteps } from '../domain/map/svg-map.js';
import type { PlannedDesign } from '../domain/plan/planner.js';
import { TimeSlices } from './time-slices.js';

/**
 * A design's map, drawn in slices: the largest plans (100 pools, 5,000 slots, dual-stack) take
 * a few hundred milliseconds to draw, and probes and other requests are answered meanwhile.
 */
export async function svgMapInSlices(design: PlannedDesign, sliceMs?: number): Promise<string> {
  const slices = new TimeSlices(sliceMs);
  const bands = await inSlices(bandSteps(design), slices);
  return inSlices(svgMapSteps(design, bands), slices);
}

/** Runs a generator's steps to its answer, pausing whenever a slice has run its time. */
async function inSlices<T>(steps: Generator<unknown, T>, slices: TimeSlices): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await slices.maybePause();
  }
}
