// Lambda compute prices, in one place. USD per GB-second of on-demand duration, first pricing tier,
// us-east-1 (aws.amazon.com/lambda/pricing). Other regions and tiers differ: --price-per-gb-s overrides.
// Since 2025-08-01 the INIT phase of on-demand zip functions on managed runtimes is billed too:
// Billed Duration = ceil(Duration + Init Duration) (docs/lambda-platform.md, "Log lines").

export const PRICE_PER_GB_SECOND = {
  x86_64: 0.0000166667,
  arm64: 0.0000133334,
} as const;

/** GB-seconds for a billed duration at a memory size (MB / 1024 = GB, as AWS bills). */
export function gbSeconds(billedMs: number, memoryMB: number): number {
  return (billedMs / 1000) * (memoryMB / 1024);
}

export function cost(billedMs: number, memoryMB: number, pricePerGbSecond: number): number {
  return gbSeconds(billedMs, memoryMB) * pricePerGbSecond;
}

/**
 * The billed ms of an invocation under INIT billing. A REPORT written before INIT billing (or by a
 * runtime where INIT is not billed) bills only Duration; recompute ceil(Duration + Init Duration) then.
 */
export function billedUnderInitBilling(durationMs: number, billedMs: number, initMs: number | null): number {
  if (initMs === null) return billedMs;
  return Math.max(billedMs, Math.ceil(durationMs + initMs));
}
