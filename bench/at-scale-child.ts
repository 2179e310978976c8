/**
 * Runs the 100 / 100,000 plans comparison in a process of its own and prints its figures as
 * JSON: the benchmarks before it leave a large heap behind whose collection would land in
 * whichever of the two measurements it happens to interrupt.
 */
import { atScale } from './in-process.js';

process.stdout.write(JSON.stringify(await atScale()));
