// defer-import: a top-level import whose names are read only inside functions. Importing it inside the
// function that uses it takes its cost out of init; the first call that needs it pays it instead. With the
// function's memory size known (--memory, --sam, --function-name, --remote), that first call's cost is
// scaled by what the invoke phase's CPU share makes of it (../memory-scaling.ts), and deferring is not
// recommended when the first request would pay more than init saves.
import { usToMs, type ImportRule } from './context.js';
import { deferralAtMemory } from './memory.js';
import type { Advice } from './types.js';

export const deferImport: ImportRule = {
  scope: 'import',
  kind: 'defer-import',
  advise(ctx, { fact, imp, savingUs }) {
    if (imp.uses !== 'functions') return null;
    const file = ctx.display(fact.file);
    const saving = usToMs(savingUs);
    const where = `${imp.module} is imported at ${file}:${imp.line} but only used inside functions (first at line ${imp.firstUseLine ?? '?'})`;
    const m = deferralAtMemory(saving, ctx.opts.scaling, { one: 'it', whose: 'its', paidFor: 'it' });
    if (m.keep) return { kind: 'defer-import', file, line: imp.line, module: imp.module, savingMs: 0, ...m.fields, message: `${where}; ${m.keep}` };
    // `lazy import` exists from Python 3.15 (https://peps.python.org/pep-0810/)
    const lazy = ctx.python3Minor >= 15 ? ` On Python 3.15+ write \`lazy import ${imp.module}\` (PEP 810) instead of moving the statement.` : '';
    const invocation = ctx.session.invocation;
    const first = invocation && invocation.firstUs.n > 0 ? ` (measured here: the first call took ${usToMs(invocation.firstUs.median)} ms)` : '';
    return {
      kind: 'defer-import',
      file,
      line: imp.line,
      module: imp.module,
      savingMs: saving,
      ...(m.fields ?? {}),
      message:
        `${where}: importing it inside the function that uses it saves ${saving} ms of init. Its cost moves to the first call that needs it${first}; it does not go away.${m.note}${lazy}`,
    };
  },
};
