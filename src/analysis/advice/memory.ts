// What the function's memory size makes of a deferral (docs/profile.md, "Advice and the memory size"): the
// deferred cost moves from init, which runs on a full vCPU, to the first request, which runs on the memory
// size's share of one (../memory-scaling.ts). Shared by defer-import and defer-together.
import { describeScaling, FULL_VCPU_MB, mb, type MemoryScaling } from '../memory-scaling.js';
import type { Advice } from './types.js';

/** The figures a memory size adds to a deferral's advice: its cost at init, in the first request, and the scaling. */
function atMemory(saving: number, s: MemoryScaling): Pick<Advice, 'initMs' | 'firstRequestMs' | 'recommended' | 'scaling'> {
  const firstRequestMs = Math.round(saving * s.factor * 10) / 10;
  return {
    initMs: saving,
    firstRequestMs,
    recommended: firstRequestMs <= saving,
    scaling: { memorySizeMB: s.memorySizeMB, factor: s.factor, source: s.source, method: s.method, fromSizesMB: s.fromSizesMB },
  };
}

/** How the memory would have to rise for the first request to pay no more than init. */
function raiseMemory(s: MemoryScaling): string {
  return s.breakEvenMB !== null ? `raise the memory to ${mb(s.breakEvenMB)}` : `raise the memory (a full vCPU from ${mb(FULL_VCPU_MB)})`;
}

/** How a deferral's advice names what is deferred: one import ("it") or a pair ("them"). */
export interface DeferralWords {
  one: 'it' | 'them';
  whose: 'its' | 'their';
  /** What the first request pays for. */
  paidFor: 'it' | 'both';
}

/**
 * A deferral at the function's memory size (none known: no fields, no words): its figures, the reason to keep it
 * at init when the first request would pay more than init saves (else null), and the note on the first request's cost.
 */
export function deferralAtMemory(
  saving: number,
  s: MemoryScaling | undefined,
  w: DeferralWords,
): { fields: ReturnType<typeof atMemory> | null; keep: string | null; note: string } {
  if (!s) return { fields: null, keep: null, note: '' };
  const fields = atMemory(saving, s);
  const how = `(×${s.factor}, ${describeScaling(s)})`;
  return {
    fields,
    keep: fields.recommended
      ? null
      : `keep ${w.one} at init: at ${mb(s.memorySizeMB)} the first request would pay about ${fields.firstRequestMs} ms for ${w.paidFor} instead of ${w.whose} ${saving} ms at init ` +
        `${how}. Defer ${w.one} only if most requests never use ${w.one}, or ${raiseMemory(s)}.`,
    note: ` At ${mb(s.memorySizeMB)} the first request pays about ${fields.firstRequestMs} ms for ${w.one} ${how}.`,
  };
}
