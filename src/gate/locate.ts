// Where in the user's own code a module was brought in: the import statement, in the deepest module of the
// task root on the import chain, that imports the next module of the chain. Used for CI annotations.
import { readFileSync } from 'node:fs';
import { isInside, realPath } from '../util/paths.js';

export interface SourceLocation {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line of the import statement. */
  line: number;
}

export interface ModuleSources {
  root: string;
  /** Module name → the file it was loaded from. */
  files: ReadonlyMap<string, string | null>;
}

/** Python reports real paths (the harness resolves the task root); the user's paths may hold symlinks. */
function inside(file: string, dir: string): boolean {
  const f = realPath(file);
  const d = realPath(dir);
  return f !== d && isInside(f, d);
}

/** The package a module's relative imports are resolved against. */
function packageOf(module: string, file: string): string {
  if (/[\\/]__init__\.py$/.test(file)) return module;
  const dot = module.lastIndexOf('.');
  return dot < 0 ? '' : module.slice(0, dot);
}

function resolveRelative(spec: string, pkg: string): string {
  const m = /^(\.+)(.*)$/.exec(spec);
  if (!m) return spec;
  const up = (m[1] as string).length - 1;
  const parts = pkg ? pkg.split('.') : [];
  const base = parts.slice(0, Math.max(0, parts.length - up)).join('.');
  const rest = m[2] as string;
  return base && rest ? `${base}.${rest}` : base || rest;
}

/** Does a statement importing `from` (and the names `names`) bring in the module `target`? */
function brings(target: string, from: string, names: readonly string[]): boolean {
  if (from === target || from.startsWith(`${target}.`)) return true;
  if (target.startsWith(`${from}.`)) {
    const first = target.slice(from.length + 1).split('.')[0];
    return names.includes(first as string) || names.includes('*');
  }
  return false;
}

/**
 * The 1-based line of the first import statement in `source` that imports `target` (a module name),
 * for a file that is the module `module`. Handles `import a.b as c, d`, `from a import (b, c)` over
 * several lines, relative imports, and imports indented inside try/if blocks.
 */
export function findImportLine(source: string, module: string, file: string, target: string): number | null {
  const pkg = packageOf(module, file);
  const lines = source.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const text = (lines[i] as string).replace(/#.*$/, '');
    for (const stmt of text.split(';')) {
      const s = stmt.trim();
      let m = /^import\s+(.+)$/.exec(s);
      if (m) {
        for (const part of (m[1] as string).split(',')) {
          const name = part.trim().split(/\s+as\s+/)[0]?.trim() ?? '';
          if (name && brings(target, name, [])) return i + 1;
        }
        continue;
      }
      m = /^from\s+(\S+)\s+import\s*(.*)$/.exec(s);
      if (m) {
        const from = resolveRelative(m[1] as string, pkg);
        let rest = m[2] as string;
        // a parenthesised list may continue on the following lines
        if (rest.includes('(') && !rest.includes(')')) {
          for (let j = i + 1; j < lines.length && !rest.includes(')'); j++) rest += ` ${(lines[j] as string).replace(/#.*$/, '')}`;
        }
        const names = rest
          .replace(/[()\\]/g, ' ')
          .split(',')
          .map((n) => n.trim().split(/\s+as\s+/)[0]?.trim() ?? '')
          .filter(Boolean);
        if (brings(target, from, names)) return i + 1;
      }
    }
  }
  return null;
}

/**
 * The import statement in the user's own code (the task root) that brought in the last module of
 * `chain` (handler → … → module): the deepest module of the chain before it that is a file under the
 * task root, at the line importing the next module. Null when no module of the chain is the user's.
 */
export function locateImport(chain: readonly string[], sources: ModuleSources): SourceLocation | null {
  for (let k = chain.length - 2; k >= 0; k--) {
    const owner = chain[k] as string;
    const file = sources.files.get(owner);
    if (!file || !file.endsWith('.py') || !inside(file, sources.root)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const line = findImportLine(text, owner, file, chain[k + 1] as string);
    return { file, line: line ?? 1 };
  }
  // the module is the handler itself (or nothing on the chain is the user's file): point at the handler
  const only = chain.length === 1 ? sources.files.get(chain[0] as string) : null;
  return only && inside(only, sources.root) ? { file: only, line: 1 } : null;
}
