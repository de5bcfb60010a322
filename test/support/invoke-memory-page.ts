// The `invoke --cold --memory` JSON document and the data of its HTML page, as the tests read them, and the
// page row each size of the document must become (shared by the renderer's unit test and the browser test).

export type Stat = { n?: number; p50: number; p90: number } | null;
export type Pair = [number, number] | null;

export interface SweepDoc {
  sizes: Array<{ memorySizeMB: number; coldSamples: number; initDurationMs: Stat; firstCallMs: Stat; coldTotalMs: Stat; warmDurationMs: Stat; billedMsPerColdStart: number | null; costPerColdStartUsd: number | null; costPerMillionUsd: number | null }>;
  initBoost: { sentence: string };
  recommendation: { memorySizeMB: number; fastestMemorySizeMB: number; reason: string } | null;
}

export interface SweepPage {
  title: string;
  run: string[];
  sizes: Array<{ mb: number; samples: number; init: Pair; first: Pair; total: number | null; warm: number | null; billed: number | null; perColdStart: number | null; perMillion: number | null }>;
  fastest: number | null;
  recommended: number | null;
  boost: string;
  recommendation: string[];
  notes: string[];
}

/** The page's row for each size of the document: the same figures (p50 and p90 as a pair), nothing recomputed. */
export function pageRowsOf(doc: SweepDoc): SweepPage['sizes'] {
  const pair = (s: Stat): Pair => (s ? [s.p50, s.p90] : null);
  return doc.sizes.map((r) => ({
    mb: r.memorySizeMB,
    samples: r.coldSamples,
    init: pair(r.initDurationMs),
    first: pair(r.firstCallMs),
    total: r.coldTotalMs?.p50 ?? null,
    warm: r.warmDurationMs?.p50 ?? null,
    billed: r.billedMsPerColdStart,
    perColdStart: r.costPerColdStartUsd,
    perMillion: r.costPerMillionUsd,
  }));
}
