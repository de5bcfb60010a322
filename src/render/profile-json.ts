// `profile --json`: one document on stdout. Versioned; later features only add fields.
import type { Summary } from '../model/summary.js';
import type { ModuleStat } from '../importtime/aggregate.js';
import type { ImportRecord } from '../importtime/model.js';
import type { ProfileSession } from '../importtime/session.js';
import { statementsByModule, type ModuleStatements } from '../importtime/statements.js';
import { gateJson } from './gate-json.js';
import type { ProfileInput } from './inputs.js';
import { LazyRows, writeCompactLists } from './json-writer.js';
import type { Renderer } from './renderer.js';
import { remoteJson } from './remote-text.js';

export const PROFILE_SCHEMA_VERSION = 1;

function summary(s: Summary | null | undefined): Record<string, number> | null {
  if (!s || s.n === 0) return null;
  return { median: s.median, min: s.min, max: s.max, p25: s.p25, p75: s.p75, mad: s.mad };
}

/** A captured record as its JSON row, written directly: a 200,000-line capture makes 200,000 rows. */
function recordRow(r: ImportRecord): string {
  return `{"name":${JSON.stringify(r.name)},"depth":${r.depth},"phase":"init","selfUs":${r.selfUs},"cumulativeUs":${r.cumulativeUs},"cached":${r.cached},"line":${r.line},"section":${r.section}}`;
}

/** The document as plain objects (the SAM document nests one per function; tests read it). */
export function profileDocument(input: Pick<ProfileInput, 'session' | 'advice' | 'toolVersion'>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(buildDocument(input))) as Record<string, unknown>;
}

function buildDocument({ session, advice, toolVersion }: Pick<ProfileInput, 'session' | 'advice' | 'toolVersion'>): Record<string, unknown> {
  const agg = session.aggregate;
  const attributed = statementsByModule(session.statements);
  const modules =
    session.records !== null
      ? new LazyRows(session.records, recordRow)
      : [
          ...agg.modules.map((m) => moduleRow(session, m, 'init', attributed)),
          ...(session.invocation?.imports.modules.map((m) => moduleRow(session, m, 'invoke', attributed)) ?? []),
        ];
  const inv = session.invocation;
  const bc = session.bytecodeComparison;
  const st = session.statements;
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: 'profile',
    tool: { name: 'lambda-cold', version: toolVersion },
    source: session.source,
    target: session.target,
    files: session.source === 'file' ? session.files : undefined,
    ...remoteJson(session),
    python: session.python,
    bytecodeMode: session.bytecode,
    summary: {
      runs: agg.runs,
      warmup: session.warmup,
      moduleCount: session.records !== null ? session.records.length : agg.modules.length,
      importUs: summary(agg.totalUs),
      importUsPerRun: agg.totalsUs,
      initWallUs: summary(session.initWallUs),
      startupUs: summary(session.startup?.totalUs),
      startupModuleCount: session.startup?.moduleCount ?? null,
      // start-up modules loaded by .pth files that the handler asked for: its cost on Lambda, not here
      startupPreloaded: session.preloaded ? { requested: session.preloaded.requested, modules: session.preloaded.modules, us: session.preloaded.us } : null,
      runtimeBootstrapUs: summary(session.bootstrap?.totalUs),
    },
    modules,
    packages: session.packages.map((p) => ({
      name: p.name,
      origin: p.origin,
      owner: p.owner,
      selfUs: p.selfUs,
      cumulativeUs: p.cumulativeUs,
      moduleCount: p.moduleCount,
    })),
    moduleSetDifferences: agg.differences,
    // the interpreter's own start-up (never the handler's cost): phase "startup"
    startupModules: session.startup?.modules?.modules.map((m) => moduleRow(session, m, 'startup', attributed)),
    missingModules: session.missing,
    runtime: session.runtime,
    phases: inv
      ? {
          startupMs: (session.startup?.totalUs.median ?? 0) / 1000,
          initMs: agg.totalUs.median / 1000,
          firstInvokeMs: inv.firstUs.median / 1000,
          warmInvokeMs: inv.warmUs.n > 0 ? inv.warmUs.median / 1000 : null,
          handler: inv.handler,
          firstInvokeImportUs: inv.imports.totalUs.median,
          firstInvokeImportCount: inv.imports.modules.length,
          warmCalls: inv.warmCalls,
        }
      : undefined,
    bytecode: bc
      ? {
          cachedUs: bc.cachedUs.median,
          compileUs: bc.compileUs.median,
          savingUs: bc.savingUs,
          packages: bc.packages.map((p) => ({ name: p.name, savingUs: p.savingUs, cachedUs: p.cachedUs, compileUs: p.compileUs })),
        }
      : undefined,
    // the attribution run (not measured): how it traced and what it cost against a measured run
    statementsRun: st ? { tracer: st.tracer, wallMs: st.overhead.wallMs, measuredWallMs: st.overhead.measuredWallMs, overheadRatio: st.overhead.ratio, modules: st.modules.length, cachedAt: st.overhead.cachedAt ?? null } : undefined,
    advice,
    warnings: session.warnings,
  };
}

function moduleRow(session: ProfileSession, m: ModuleStat, phase: 'startup' | 'init' | 'invoke', attributed: ReadonlyMap<string, ModuleStatements>): Record<string, unknown> {
  return {
    id: m.id,
    name: m.name,
    depth: m.depth,
    phase,
    package: m.package,
    origin: session.origins.get(m.name) ?? null,
    owner: session.owners.get(m.name) ?? null,
    selfUs: m.selfUs.median,
    cumulativeUs: m.cumulativeUs.median,
    selfUsRange: [m.selfUs.min, m.selfUs.max],
    cumulativeUsRange: [m.cumulativeUs.min, m.cumulativeUs.max],
    runs: m.runs,
    ...statementsOf(attributed.get(m.name), m, phase),
  };
}

/** `statements` of an attributed module of the handler's import: line, text, selfUs, share, calls (a library). */
function statementsOf(attributed: ModuleStatements | undefined, m: ModuleStat, phase: string): { statements?: unknown[] } {
  if (phase !== 'init' || m.cached || !attributed) return {};
  return {
    statements: attributed.statements.map((s) => ({
      line: s.line,
      text: s.text,
      selfUs: Math.round(s.selfUs),
      share: Math.round(s.share * 10_000) / 10_000,
      ...(s.calls ? { calls: s.calls } : {}),
    })),
  };
}

/** `profile --json`: the document, with the gate's fields after the profile's own when a gate ran. */
export const renderer: Renderer<ProfileInput> = {
  render(input, sink) {
    const doc = { ...buildDocument(input), ...(input.gate ? gateJson(input.gate) : {}) };
    writeCompactLists(doc, ['modules', 'startupModules', 'packages', 'moduleSetDifferences', 'advice'], sink);
  },
};
