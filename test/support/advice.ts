// Synthetic profiles for the advice rules' unit tests: an import tree with given costs (written as the
// `-X importtime` lines CPython prints, then read by the same code a real profile uses), the facts
// facts.py would give about the user's files, and where each module came from.
import { summarize } from '../../src/model/summary.js';
import { parseImportTime } from '../../src/importtime/parse.js';
import type { Origin } from '../../src/importtime/packages.js';
import { sessionFromFiles, type ProfileSession } from '../../src/importtime/session.js';
import type { Owner } from '../../src/python/distributions.js';
import type { FileFacts } from '../../src/python/protocol.js';
import { HEADER, line } from './importtime.js';

/** A module of the tree: its own time (ms), the modules it imports, its origin and file. */
export interface Mod {
  name: string;
  selfMs: number;
  imports: Mod[];
  origin: Origin;
  file: string | null;
  /** Set for modules whose owner the installation records name (see `installed`). */
  owner?: Owner;
}

const ROOT = '/task';

/** A module of the user's code (task root): file derived from the name. */
export function own(name: string, selfMs: number, imports: Mod[] = []): Mod {
  return { name, selfMs, imports, origin: 'task-root', file: `${ROOT}/${name.replace(/\./g, '/')}.py` };
}

/** A package of the user's code: its __init__.py. */
export function ownPackage(name: string, selfMs: number, imports: Mod[] = []): Mod {
  return { name, selfMs, imports, origin: 'task-root', file: `${ROOT}/${name.replace(/\./g, '/')}/__init__.py` };
}

/** A third-party module, installed in site-packages (the user does not edit it). */
export function dep(name: string, selfMs: number, imports: Mod[] = []): Mod {
  return { name, selfMs, imports, origin: 'site-packages', file: `/venv/site-packages/${name.replace(/\./g, '/')}/__init__.py` };
}

/** A third-party module that pip installed into the task root: the folder says task root, its record says `distribution`. */
export function installed(name: string, selfMs: number, distribution: string, imports: Mod[] = []): Mod {
  return {
    name,
    selfMs,
    imports,
    origin: 'task-root',
    file: `${ROOT}/${name.replace(/\./g, '/')}.py`,
    owner: { kind: 'third-party', distribution, version: '1.0' },
  };
}

/** A standard-library module. */
export function std(name: string, selfMs: number, imports: Mod[] = []): Mod {
  return { name, selfMs, imports, origin: 'stdlib', file: `/usr/lib/python3.12/${name.replace(/\./g, '/')}.py` };
}

function lines(m: Mod, depth: number, out: string[]): number {
  let cum = Math.round(m.selfMs * 1000);
  for (const child of m.imports) cum += lines(child, depth + 1, out);
  out.push(line(Math.round(m.selfMs * 1000), cum, depth, m.name));
  return cum;
}

function walk(m: Mod, visit: (m: Mod) => void): void {
  visit(m);
  for (const c of m.imports) walk(c, visit);
}

type Use = FileFacts['imports'][number]['uses'];

/** One top-level import statement as facts.py reports it: `import module` at `line`, its name read where `uses` says. */
export function imp(line: number, module: string, uses: Use, firstUseLine: number | null = null): FileFacts['imports'][number] {
  return { line, module, names: [module.split('.')[0] as string], kind: 'import', uses, firstUseLine };
}

/** What facts.py says of one of the user's modules (file as `own` names it). */
export function facts(module: string, imports: FileFacts['imports'], clients: FileFacts['clients'] = [], file?: string): FileFacts {
  return { module, file: file ?? `${ROOT}/${module.replace(/\./g, '/')}.py`, error: null, imports, clients };
}

export interface ProfileShape {
  facts?: FileFacts[];
  runtime?: string | null;
  /** The local Python's version (e.g. "3.12.4"). */
  python?: string;
  /** A profile of captured files rather than of runs. */
  source?: 'run' | 'file';
}

/** A profile of `runs` identical runs of `import handler` whose tree is `handler`. */
export function profileOf(handler: Mod, shape: ProfileShape = {}, runs = 3): ProfileSession {
  const out: string[] = [HEADER];
  lines(handler, 0, out);
  const text = `${out.join('\n')}\n`;
  const s = sessionFromFiles(
    Array.from({ length: runs }, (_, i) => `run${i + 1}.txt`),
    Array.from({ length: runs }, () => parseImportTime(text)),
  );
  const origins = new Map<string, Origin>();
  const moduleFiles = new Map<string, string>();
  const owners = new Map<string, Owner>();
  walk(handler, (m) => {
    origins.set(m.name, m.origin);
    if (m.file) moduleFiles.set(m.name, m.file);
    if (m.owner) owners.set(m.name, m.owner);
  });
  const version = shape.python ?? '3.12.4';
  return {
    ...s,
    source: shape.source ?? 'run',
    target: { display: 'handler.py', module: handler.name, root: ROOT, path: `${ROOT}/${handler.name}.py`, layers: [], layerPaths: [] },
    python: { version, implementation: 'CPython', executable: '/usr/bin/python3', requested: 'python3', viaShim: false, platform: 'linux' },
    origins,
    owners,
    moduleFiles,
    facts: shape.facts ?? [],
    runtime: shape.runtime ?? null,
  };
}

/** The same tree with every module's own time multiplied by `factor` (a build without .pyc). */
export function scaled(m: Mod, factor: number): Mod {
  return { ...m, selfMs: m.selfMs * factor, imports: m.imports.map((c) => scaled(c, factor)) };
}

/** A first call's duration, as --invoke records it. */
export function withFirstCall(s: ProfileSession, firstMs: number): ProfileSession {
  const empty = { ...s.aggregate, modules: [] };
  return { ...s, invocation: { handler: 'handler.lambda_handler', eventFile: null, imports: empty, firstUs: summarize([firstMs * 1000]), warmUs: summarize([]), warmCalls: 0 } };
}
