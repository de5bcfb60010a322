// The gate's fields in the `--json` document: `"gate"` exactly as documented ({ passed, failures:
// [{ kind, module, message }] }), and beside it the checks made and, with a base, the comparison.
import type { Summary } from '../model/summary.js';
import type { GateResult } from '../gate/types.js';

function summary(s: Summary): Record<string, number> {
  return { median: s.median, min: s.min, max: s.max, p25: s.p25, p75: s.p75, mad: s.mad, n: s.n };
}

export function gateJson(gate: GateResult): Record<string, unknown> {
  const c = gate.comparison;
  return {
    gate: {
      passed: gate.passed,
      failures: gate.failures.map((f) => ({ kind: f.kind, module: f.module, message: f.message })),
    },
    checks: gate.checks.map((k) => ({
      kind: k.kind,
      label: k.label,
      limit: k.limit,
      measured: k.measured,
      passed: k.passed,
      ...(k.unconfirmed ? { unconfirmed: true } : {}),
    })),
    confirmation: gate.confirmation,
    comparison: c
      ? {
          base: { label: c.baseLabel, importUs: summary(c.base) },
          head: { importUs: summary(c.head) },
          measured: { base: { importUs: summary(c.raw.base) }, head: { importUs: summary(c.raw.head) } },
          adjustment: c.adjustment,
          deltaUs: c.deltaUs,
          deltaPct: Number(c.deltaPct.toFixed(3)),
          test: { name: 'mann-whitney-u', alternative: 'greater', u: c.u, p: c.p },
          significant: c.significant,
          regression: c.regression,
          changes: c.changes,
          newModules: c.newModules,
          removedModules: c.removedModules,
        }
      : null,
  };
}
