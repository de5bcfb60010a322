// ship-pyc (with --bytecode both): what compiling from source costs at every cold start, when the
// measured difference is clear of the threshold, 5 % of the cached import and the runs' spread.
import { compileRecipe } from '../../package/pyc.js';
import { usToMs, type ProfileRule } from './context.js';

export const shipPyc: ProfileRule = {
  scope: 'profile',
  kind: 'ship-pyc',
  advise(ctx) {
    const { session } = ctx;
    const bc = session.bytecodeComparison;
    if (!bc || !(bc.savingUs >= Math.max(ctx.minSavingUs, bc.cachedUs.median * 0.05, 2 * (bc.cachedUs.mad + bc.compileUs.mad)))) return [];
    const top = bc.packages[0];
    const file = top ? session.moduleFiles.get(top.name) : undefined;
    return [
      {
        kind: 'ship-pyc',
        file: file ? ctx.display(file) : (session.target?.display ?? ''),
        line: 1,
        module: top?.name ?? session.target?.module ?? '',
        savingMs: usToMs(bc.savingUs),
        message:
          `Compiling from source costs ${usToMs(bc.savingUs)} ms per cold start (${usToMs(bc.compileUs.median)} ms without .pyc, ${usToMs(bc.cachedUs.median)} ms with)` +
          `${top ? `, most in ${top.name} (${usToMs(top.savingUs)} ms)` : ''}: ship __pycache__/*.pyc built by the runtime's exact Python version ` +
          `(${ctx.runtime ?? 'python3.X'}), since /var/task is read-only: \`${compileRecipe(ctx.runtime)}\` in the build image.`,
      },
    ];
  },
};
