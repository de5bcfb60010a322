// `package --handler`: find out what the handler imports at init by importing it once with the existing
// runner (fresh interpreter, Lambda's sys.path). A zip is extracted first, only ever into a private
// temporary folder that is removed afterwards — never next to the user's files.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { onInterrupt } from '../util/cleanup.js';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Interpreter } from '../python/interpreter.js';
import { importOnce } from '../python/runner.js';
import { parseOutcome } from '../importtime/run.js';
import { resolveTarget } from '../python/target.js';
import { UserError } from '../util/errors.js';
import type { Inventory } from './inventory.js';

export interface HandlerImports {
  module: string;
  /** Every module the handler's import loaded (names as Python printed them). */
  modules: string[];
}

/** "app.handler.lambda_handler" (a Lambda handler string) → "app.handler" when that is the module. */
function moduleFor(handler: string, root: string): string {
  const asFile = resolve(root, handler);
  if (existsSync(asFile)) return handler;
  const parts = handler.split('.');
  const exists = (ps: string[]): boolean =>
    ps.length > 0 && (existsSync(join(root, ...ps) + '.py') || existsSync(join(root, ...ps, '__init__.py')));
  if (!exists(parts) && parts.length > 1 && exists(parts.slice(0, -1))) return parts.slice(0, -1).join('.');
  return handler;
}

export async function importsOfHandler(
  handler: string,
  fn: Inventory,
  layers: readonly Inventory[],
  interpreter: Interpreter,
  timeoutSec: number,
): Promise<HandlerImports> {
  const work = fn.type === 'zip' || layers.some((l) => l.type === 'zip') ? mkdtempSync(join(tmpdir(), 'lambda-cold-package-')) : null;
  // removed at the end, and on Ctrl-C too (util/cleanup.ts runs the registered cleanups)
  const unregister = work ? onInterrupt(() => rmSync(work, { recursive: true, force: true })) : () => true;
  try {
    let root = fn.absPath;
    if (fn.type === 'zip') {
      root = join(work as string, 'task');
      await fn.extractTo(root);
    }
    const layerDirs: string[] = [];
    for (const [i, l] of layers.entries()) {
      if (l.type === 'zip') {
        const dir = join(work as string, `layer-${i}`);
        await l.extractTo(dir);
        layerDirs.push(dir);
      } else layerDirs.push(l.absPath);
    }
    const target = resolveTarget(moduleFor(handler, root), root, root);
    // a throw-away bytecode cache for extracted copies: their paths never recur
    const env = work ? { ...process.env, LAMBDA_COLD_CACHE_DIR: join(work, 'cache') } : process.env;
    const run = parseOutcome(await importOnce({ interpreter, module: target.module, root, layers: layerDirs, bytecode: 'cached', timeoutSec }, env));
    if (!run || run.status !== 'ok') {
      const err = run?.result?.error;
      const why =
        run?.status === 'timeout'
          ? `did not finish within --timeout ${timeoutSec} s`
          : err
            ? `raised ${err.type}${err.message ? `: ${err.message}` : ''}`
            : `crashed (exit ${run?.exitCode ?? '?'})`;
      throw new UserError(
        `Importing the handler ${target.module} from ${fn.display} ${why}; fix it, or pass a profile with --profile-json instead of --handler.`,
        { detail: (err?.traceback ?? run?.stderrText ?? '').trim() || undefined },
      );
    }
    const names = run.init.records.filter((r) => !r.cached).map((r) => r.name);
    return { module: target.module, modules: names };
  } finally {
    unregister();
    if (work) rmSync(work, { recursive: true, force: true });
  }
}
