// Lambda compute prices, in one place. USD per GB-second of on-demand duration, first pricing tier,
// us-east-1 (aws.amazon.com/lambda/pricing). Other regions and tiers differ: --price-per-gb-s overrides.
// Cost comes from the REPORT's Billed Duration and nothing else: since 2025-08-01 it already includes the
// INIT phase of a cold start for on-demand zip functions on managed runtimes (ceil(Duration + Init
// Duration)), and a re-init's re-run init is inside its Duration (docs/lambda-platform.md, "Log lines").
// A SnapStart restore adds its Billed Restore Duration.
import type { InvocationRecord } from '../model/invocation.js';

export const PRICE_PER_GB_SECOND = {
  x86_64: 0.0000166667,
  arm64: 0.0000133334,
} as const;

/** The one sentence the reports print about what is billed. */
export const INIT_BILLING_NOTE =
  'Billed Duration already includes a cold start\'s init (INIT is billed for on-demand zip functions since 2025-08-01) and a re-init\'s re-run init; nothing is added to it.';

/** GB-seconds for a billed duration at a memory size (MB / 1024 = GB, as AWS bills). */
export function gbSeconds(billedMs: number, memoryMB: number): number {
  return (billedMs / 1000) * (memoryMB / 1024);
}

export function cost(billedMs: number, memoryMB: number, pricePerGbSecond: number): number {
  return gbSeconds(billedMs, memoryMB) * pricePerGbSecond;
}

/** What a set of invocations was billed. */
export interface CostLine {
  /** Invocations with a Billed Duration. */
  count: number;
  billedMs: number;
  usd: number;
  perInvocationUsd: number | null;
  perMillionUsd: number | null;
}

/** The billed ms of one invocation: Billed Duration, plus Billed Restore Duration for a SnapStart restore. */
export function billedMs(r: Pick<InvocationRecord, 'billedDurationMs' | 'billedRestoreDurationMs'>): number | null {
  if (r.billedDurationMs === null) return null;
  return r.billedDurationMs + (r.billedRestoreDurationMs ?? 0);
}

export function costLine(
  records: Pick<InvocationRecord, 'billedDurationMs' | 'billedRestoreDurationMs' | 'memorySizeMB'>[],
  functionMemoryMB: number,
  pricePerGbSecond: number,
): CostLine {
  let count = 0;
  let ms = 0;
  let usd = 0;
  for (const r of records) {
    const b = billedMs(r);
    if (b === null) continue;
    count++;
    ms += b;
    usd += cost(b, r.memorySizeMB ?? functionMemoryMB, pricePerGbSecond);
  }
  const per = count ? usd / count : null;
  return { count, billedMs: ms, usd, perInvocationUsd: per, perMillionUsd: per === null ? null : per * 1e6 };
}

/** Dollars in one fixed notation: never exponents, enough decimals for a single invocation. */
export function usd(x: number | null, decimals: number): string {
  return x === null ? '-' : `$${x.toFixed(decimals)}`;
}
