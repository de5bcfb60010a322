// The base side of a comparison, from a saved baseline or from a session measured now, and its samples.
import type { Samples } from '../analysis/decision.js';
import type { ProfileSession } from '../importtime/session.js';
import type { Baseline } from './baseline.js';
import { baselineModules } from './modules.js';
import type { BaseSide } from './types.js';

export function baseFromBaseline(b: Baseline, label: string): BaseSide {
  const control = b.samples.controlUs && b.samples.controlUs.length === b.samples.importUs.length ? b.samples.controlUs : null;
  const n = b.samples.importUs.length;
  const rows = b.samples.stdlibSelfUs ? Object.entries(b.samples.stdlibSelfUs).filter(([, v]) => v.length === n) : null;
  return { label, importUs: b.samples.importUs, controlUs: control, stdlib: rows ? new Map(rows) : null, modules: b.modules, runs: b.measurement.runs };
}

export function baseFromSession(s: ProfileSession, label: string): BaseSide {
  return {
    label,
    importUs: s.aggregate.totalsUs,
    controlUs: s.controlUsPerRun,
    stdlib: s.stdlibSelfUsPerRun,
    modules: baselineModules(s),
    runs: s.aggregate.runs,
    missing: s.missing,
  };
}

export function samplesOfBase(b: BaseSide): Samples {
  return {
    importUs: [...b.importUs],
    controlUs: b.controlUs && b.controlUs.length === b.importUs.length ? [...b.controlUs] : null,
    stdlib: b.stdlib,
  };
}
