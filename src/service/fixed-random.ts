import type { RandomBytes } from './token-service.js';

/** Random bytes that are the same on every run (a counter): examples and their documents stay the same. */
export function fixedRandom(): RandomBytes {
  let next = 0;
  return (size) => Buffer.from(Array.from({ length: size }, () => ++next & 0xff));
}
