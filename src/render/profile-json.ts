// `profile --json`: one document on stdout. Versioned; later features only add fields.
import type { Summary } from '../analysis/stats.js';
import type { ProfileSession } from '../importtime/session.js';

export const PROFILE_SCHEMA_VERSION = 1;

function summary(s: Summary | null | undefined): Record<string, number> | null {
  if (!s || s.n === 0) return null;
  return { median: s.median, min: s.min, max: s.max, p25: s.p25, p75: s.p75, mad: s.mad };
}

export function profileDocument(session: ProfileSession, toolVersion: string): Record<string, unknown> {
  const agg = session.aggregate;
  const modules =
    session.records !== null
      ? session.records.map((r) => ({
          name: r.name,
          depth: r.depth,
          selfUs: r.selfUs,
          cumulativeUs: r.cumulativeUs,
          cached: r.cached,
          line: r.line,
          section: r.section,
        }))
      : agg.modules.map((m) => ({
          id: m.id,
          name: m.name,
          depth: m.depth,
          package: m.package,
          origin: session.origins.get(m.name) ?? null,
          selfUs: m.selfUs.median,
          cumulativeUs: m.cumulativeUs.median,
          selfUsRange: [m.selfUs.min, m.selfUs.max],
          cumulativeUsRange: [m.cumulativeUs.min, m.cumulativeUs.max],
          runs: m.runs,
        }));
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: 'profile',
    tool: { name: 'lambda-cold', version: toolVersion },
    source: session.source,
    target: session.target,
    files: session.source === 'file' ? session.files : undefined,
    python: session.python,
    bytecode: session.bytecode,
    summary: {
      runs: agg.runs,
      warmup: session.warmup,
      moduleCount: session.records !== null ? session.records.length : agg.modules.length,
      importUs: summary(agg.totalUs),
      importUsPerRun: agg.totalsUs,
      initWallUs: summary(session.initWallUs),
      startupUs: summary(session.startup?.totalUs),
      startupModuleCount: session.startup?.moduleCount ?? null,
      runtimeBootstrapUs: summary(session.bootstrap?.totalUs),
    },
    modules,
    packages: session.packages.map((p) => ({
      name: p.name,
      origin: p.origin,
      selfUs: p.selfUs,
      cumulativeUs: p.cumulativeUs,
      moduleCount: p.moduleCount,
    })),
    moduleSetDifferences: agg.differences,
    missingModules: session.missing,
    warnings: session.warnings,
  };
}

export function renderProfileJson(session: ProfileSession, toolVersion: string): string {
  return `${JSON.stringify(profileDocument(session, toolVersion), null, 2)}\n`;
}
