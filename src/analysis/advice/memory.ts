// What the function's memory size makes of a deferral (docs/profile.md, "Advice and the memory size"): the
// deferred cost moves from init, which runs on a full vCPU, to the first request, which runs on the memory
// size's share of one (../memory-scaling.ts). Shared by defer-import and defer-together.
import { FULL_VCPU_MB, type MemoryScaling } from '../memory-scaling.js';
import type { Advice } from './types.js';

export const mb = (n: number): string => `${n.toLocaleString('en-US')} MB`;

/** The figures a memory size adds to a deferral's advice: its cost at init, in the first request, and the scaling. */
export function atMemory(saving: number, s: MemoryScaling): Pick<Advice, 'initMs' | 'firstRequestMs' | 'recommended' | 'scaling'> {
  const firstRequestMs = Math.round(saving * s.factor * 10) / 10;
  return {
    initMs: saving,
    firstRequestMs,
    recommended: firstRequestMs <= saving,
    scaling: { memorySizeMB: s.memorySizeMB, factor: s.factor, source: s.source, method: s.method, fromSizesMB: s.fromSizesMB },
  };
}

/** How the memory would have to rise for the first request to pay no more than init. */
export function raiseMemory(s: MemoryScaling): string {
  return s.breakEvenMB !== null ? `raise the memory to ${mb(s.breakEvenMB)}` : `raise the memory (a full vCPU from ${mb(FULL_VCPU_MB)})`;
}
