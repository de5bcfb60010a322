// The gate's wording: how its checks and failure messages write figures (the gate hands the numbers,
// gate/types.ts's GateWording says what it needs). The same words in the terminal, markdown and JSON.
import type { Comparison, GateOptions, GateWording } from '../gate/types.js';
import { usAsMs } from './format.js';

function formatP(p: number): string {
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(4);
}

function signedMs(us: number): string {
  return `${us >= 0 ? '+' : '−'}${usAsMs(Math.abs(us))} ms`;
}

function signedPct(pct: number): string {
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

const chainText = (chain: readonly string[]): string => chain.join(' → ');

function describeDelta(c: Comparison): string {
  return `${usAsMs(c.base.median)} → ${usAsMs(c.head.median)} ms (${signedMs(c.deltaUs)}, ${signedPct(c.deltaPct)}, p ${c.p < 0.0001 ? '' : '= '}${formatP(c.p)})`;
}

/** The regression failure's sentence, with the module that changed most. */
function regressionMessage(c: Comparison, o: GateOptions): string {
  const culprit = c.changes.find((x) => x.deltaUs > 0);
  return (
    `the handler's import got slower than ${c.baseLabel}: ${describeDelta(c)}, past +${o.maxRegressionPct}% and +${o.minDeltaMs} ms` +
    (culprit ? `; biggest change: ${culprit.name} ${signedMs(culprit.deltaUs)}${culprit.status === 'new' ? ' (new)' : ''} self time` : '')
  );
}

export const gateWording: GateWording = { ms: usAsMs, chain: chainText, delta: describeDelta, regression: regressionMessage };
