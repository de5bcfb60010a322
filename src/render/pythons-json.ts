// `profile --python A --python B … --json`: one document, versioned (kind "profile-pythons"); later
// features only add fields. Times in µs; the first interpreter is the baseline of every difference.
import type { Difference, Spread } from '../analysis/pythons.js';
import { writeCompactLists } from './json-writer.js';
import { standInNote, type PythonsInput } from './pythons-input.js';
import type { Renderer } from './renderer.js';

export const PYTHONS_SCHEMA_VERSION = 1;

function spread(s: Spread): Record<string, number> {
  return { n: s.n, medianUs: s.median, p90Us: s.p90, minUs: s.min, maxUs: s.max, madUs: s.mad };
}

function difference(d: Difference | null): Record<string, unknown> | null {
  if (!d) return null;
  return { deltaUs: d.deltaUs, deltaPct: d.deltaPct, p: d.p, significant: d.significant, largeEnough: d.largeEnough, verdict: d.verdict };
}

/** The document as plain objects (tests read it). */
export function pythonsDocument(input: PythonsInput): Record<string, unknown> {
  const c = input.comparison;
  const version = (k: number): string => input.interpreters[k]?.version ?? '?';
  return {
    schemaVersion: PYTHONS_SCHEMA_VERSION,
    kind: 'profile-pythons',
    toolVersion: input.toolVersion,
    target: input.target,
    bytecode: input.bytecode,
    runs: input.runs,
    order: 'interleaved, each round in the reverse order of the last (A B B A …)',
    thresholds: { alpha: c.thresholds.alpha, minDeltaMs: c.thresholds.minDeltaMs, maxRegressionPct: c.thresholds.maxRegressionPct },
    canDetect: c.canDetect,
    note: standInNote(input.interpreters),
    interpreters: input.interpreters.map((i, k) => ({
      ...i,
      baseline: k === 0,
      init: c.init[k] ? spread(c.init[k].spread) : null,
      vsBaseline: difference(c.init[k]?.vsBaseline ?? null),
    })),
    packages: c.packages.map((p) => ({
      name: p.name,
      origin: input.origins[p.name] ?? 'unknown',
      perInterpreter: p.medianUs.map((m, k) => ({ version: version(k), medianUs: m, vsBaseline: difference(p.vsBaseline[k] ?? null) })),
    })),
    packagesOnly: c.packagesOnly.map((x) => ({ interpreter: x.interpreter, version: version(x.interpreter), names: x.names })),
    modules: c.modules.map((m) => ({ interpreter: m.interpreter, version: version(m.interpreter), only: m.only, missing: m.missing })),
    warnings: input.warnings,
  };
}

export const renderer: Renderer<PythonsInput> = {
  render(input, sink) {
    writeCompactLists(pythonsDocument(input), ['packages'], sink);
  },
};
