/**
 * Yielding to the event loop, so that long work lets probes and other requests in.
 *
 * One setImmediate is not a turn. Work started by an I/O callback (a request's body arriving)
 * that yields with setImmediate resumes in the same turn's check phase, before any timer fires
 * or any socket is read: its first two slices ran back to back, and the largest batch held the
 * loop for 30-55 ms where a slice is 10 ms (measured). An immediate queued while the check phase
 * runs waits for the next turn, so two in a row always let timers and I/O run in between. From
 * anywhere else the second one costs one more pass of the loop, microseconds.
 */
import { setImmediate as immediate } from 'node:timers/promises';

/** Resolves after the event loop has run timers and polled I/O at least once. */
export async function yieldToEventLoop(): Promise<void> {
  await immediate();
  await immediate();
}

/** Calls `step` after the event loop has run timers and polled I/O at least once. */
export function inALaterTurn(step: () => void): void {
  setImmediate(() => setImmediate(step));
}
