// What to import: a handler .py file, a package folder, or a dotted module name under --root.
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { UserError } from '../util/errors.js';

export interface Target {
  /** Dotted module name imported as the handler. */
  module: string;
  /** The task root (what /var/task is). */
  root: string;
  /** The file or folder the user named, if any. */
  path: string | null;
  /** How the report names it. */
  display: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function moduleFromPath(path: string, root: string, isPackage: boolean): string {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) {
    throw new UserError(`${path} is not inside the task root ${root}: pass a --root that contains it.`);
  }
  const parts = rel.split(sep);
  if (!isPackage) {
    const last = parts.pop() as string;
    parts.push(last.replace(/\.py$/, ''));
  }
  for (const p of parts) {
    if (!IDENT.test(p)) {
      throw new UserError(
        `${rel} cannot be imported as a module: "${p}" is not a valid Python name (Lambda imports the handler by module name).`,
      );
    }
  }
  return parts.join('.');
}

/** Handler files looked for in a function's folder, in order (the console's default first). */
const HANDLER_FILES = ['lambda_function', 'handler', 'app', 'main', 'index'];

/** The module of `--handler module.function` (`app.handler` → `app`), or undefined without a dot. */
export function handlerModuleOf(handler: string | undefined): string | undefined {
  return handler?.includes('.') ? handler.slice(0, handler.lastIndexOf('.')) : undefined;
}

export function resolveTarget(
  target: string,
  rootOption: string | undefined,
  cwd: string = process.cwd(),
  handlerModule?: string,
): Target {
  const root = rootOption === undefined ? undefined : resolve(cwd, rootOption);
  if (root !== undefined && !(existsSync(root) && statSync(root).isDirectory())) {
    throw new UserError(`The task root ${rootOption} does not exist or is not a folder.`);
  }
  const asPath = resolve(cwd, target);
  if (existsSync(asPath)) {
    const st = statSync(asPath);
    if (st.isDirectory()) {
      if (existsSync(resolve(asPath, '__init__.py'))) {
        const r = root ?? dirname(asPath);
        return { module: moduleFromPath(asPath, r, true), root: r, path: asPath, display: target };
      }
      // A function's folder (what is zipped as /var/task): it is the task root; find the handler in it.
      const r = root ?? asPath;
      const module = handlerModule ?? HANDLER_FILES.find((f) => existsSync(resolve(asPath, `${f}.py`)));
      if (!module) {
        throw new UserError(
          `${target} is a folder but not a Python package, and holds none of ${HANDLER_FILES.map((f) => `${f}.py`).join(', ')}: name the handler with --handler module.function.`,
        );
      }
      return { module, root: r, path: resolve(asPath, `${module.replace(/\./g, sep)}.py`), display: target };
    }
    if (!asPath.endsWith('.py')) {
      throw new UserError(`${target} is not a Python file: give a handler .py file, a package folder, or a module name with --root.`);
    }
    const r = root ?? dirname(asPath);
    return { module: moduleFromPath(asPath, r, false), root: r, path: asPath, display: target };
  }
  if (target.includes('/') || target.includes(sep) || target.endsWith('.py') || !DOTTED.test(target)) {
    throw new UserError(`The target ${target} does not exist.`);
  }
  return { module: target, root: root ?? cwd, path: null, display: target };
}
