// import-side-effects: a module of the user's own code whose module-level code (not its imports) is slow:
// connections, configuration parsing, warming caches. Only where the user can act: not for the standard
// library, a third-party distribution (even one pip installed into the task root: dependency-cost reports
// those once, at the user's import) or a C extension; not for a module that builds an SDK client
// (module-client says that is right), not when a defer/unused suggestion already takes it (or a module
// above it) out of init.
// With the attribution run (session.statements), it names the statement that costs the most, and a module
// that builds a client is advised on for its other statements.
import type { ModuleStat } from '../../importtime/aggregate.js';
import { explainsSelfTime, rankedStatements, statementPhrase, statementsAt, type ModuleStatements, type StatementStat } from '../../importtime/statements.js';
import { related, statementField, usToMs, type ProfileRule } from './context.js';
import type { Advice } from './types.js';

/** The statements of a module that build none of its clients (a client's statement is module-client's). */
function otherStatements(m: ModuleStatements, clientLines: readonly number[]): StatementStat[] {
  const clients = new Set(statementsAt(m, clientLines));
  return rankedStatements(m).filter((s) => !clients.has(s));
}

export const importSideEffects: ProfileRule = {
  scope: 'profile',
  kind: 'import-side-effects',
  advise(ctx, earlier) {
    const { session, facts } = ctx;
    const clientLines = new Map(facts.filter((f) => f.clients.length > 0).map((f) => [f.module, f.clients.map((c) => c.line)]));
    const deferred = new Set(earlier.filter((a) => a.kind === 'defer-import' || a.kind === 'unused-import').map((a) => a.module));
    // own time worth a suggestion: 10 ms, or 5 % of the handler's import
    const min = Math.max(10_000, ctx.initUs * 0.05);
    const out: Advice[] = [];
    for (const m of ctx.modules) {
      const statements = ctx.statements.get(m.name);
      const clients = clientLines.get(m.name);
      // a module that builds a client: only its other statements, when they are known
      const ranked = statements ? otherStatements(statements, clients ?? []) : null;
      const ownUs = clients ? (ranked ? ranked.reduce((t, x) => t + x.selfUs, 0) : 0) : m.selfUs.median;
      if (ownUs < min) continue;
      if (!ctx.isUsers(m.name)) continue;
      const origin = session.origins.get(m.name);
      let covered = deferred.has(m.name);
      for (let p = m.parent; p && !covered; p = p.parent) covered = deferred.has(p.name);
      if (covered) continue;
      const file = session.moduleFiles.get(m.name);
      if (!file?.endsWith('.py')) continue; // a C extension's init is not code the user can move
      const own = origin === 'task-root';
      // for a dependency, point at the user's import that brought it in
      let at: { file: string; line: number } | null = own ? { file: ctx.display(file), line: 1 } : null;
      for (let p: ModuleStat | null = m; p && !at; p = p.parent) {
        const parentFacts = p.parent ? ctx.factsByModule.get(p.parent.name) : undefined;
        const name = p.name;
        const imp = parentFacts?.imports.find((i) => related(i.module, name));
        if (parentFacts && imp) at = { file: ctx.display(parentFacts.file), line: imp.line };
      }
      if (!at) at = { file: file ? ctx.display(file) : m.name, line: 1 };
      const isPackage = file?.endsWith('__init__.py') ?? false;
      const saving = usToMs(ownUs);
      // named only when the statements account for the module's self time
      const top = statements && ranked && explainsSelfTime(statements) ? ranked[0] : undefined;
      const where = top && statements ? statementPhrase(ctx.display(file), statements, top) : null;
      out.push({
        kind: 'import-side-effects',
        // the statement itself when measured (in the user's file, a layer's included)
        file: top ? ctx.display(file) : at.file,
        line: top ? top.line : at.line,
        module: m.name,
        savingMs: saving,
        message:
          `${m.name}${isPackage ? "'s __init__" : ''} spends ${saving} ms running its own module-level code at import` +
          (clients ? ' besides building its SDK client' : '') +
          (where ? `; its costliest statement: ${where}` : ' (connections, configuration parsing, warming caches…)') +
          `${own ? '' : `; it is imported from ${at.file}:${at.line}`}: ` +
          `moving that work out of import time (into a function called when needed, or cached) saves up to ${saving} ms of init.`,
        ...(top && statements
          ? { statement: statementField(statements, top, usToMs(top.selfUs), top.selfUs) }
          : {}),
      });
    }
    return out;
  },
};
