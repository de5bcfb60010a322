// unused-import: a top-level import none of whose names is ever read in its file. Removing it takes its
// whole cost out of init, unless it was imported for a side effect.
import { usToMs, type ImportRule } from './context.js';

export const unusedImport: ImportRule = {
  scope: 'import',
  kind: 'unused-import',
  advise(ctx, { fact, imp, savingUs }) {
    if (imp.uses !== 'none') return null;
    const file = ctx.display(fact.file);
    const saving = usToMs(savingUs);
    return {
      kind: 'unused-import',
      file,
      line: imp.line,
      module: imp.module,
      savingMs: saving,
      message: `${imp.module} is imported at ${file}:${imp.line} and never used in ${fact.module}: removing it saves ${saving} ms of init (unless it is imported for a side effect such as registering a plugin).`,
    };
  },
};
