// Configuration for CI: `[tool.lambda-cold]` in pyproject.toml (Python projects' home for tool settings,
// read with smol-toml) or lambda-cold.config.json, validated with zod. Keys are the flags' names
// (`max-modules`, `budget-package`…); paths are relative to the file's folder. Command-line flags
// override the file key by key. A key that stands for a numeric flag takes a number or a string here and
// is checked by the flag's own rule afterwards, so that a wrong value gets the flag's wording. A file
// that does not parse is reported with the parser's line and column and the line itself.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  array,
  boolean,
  enum as oneOf,
  gt,
  minLength,
  number,
  optional,
  record,
  strictObject,
  string,
  union,
  type infer as Infer,
} from 'zod/mini';
import { UserError } from '../util/errors.js';

const JSON_CONFIG = 'lambda-cold.config.json';
const PYPROJECT = 'pyproject.toml';

// Built on first use: most profiles have no configuration file, and zod schemas cost start-up time.
function configSchema() {
  const text = string().check(minLength(1, { error: 'must not be empty' }));
  const positive = number().check(gt(0, { error: 'must be greater than 0' }));
  // checked by the flag's rule (profile/options.ts) once read: the same words as the flag's
  const flagValue = union([number(), string()], { error: 'expected a number' });
  return strictObject({
    target: optional(text),
    root: optional(text),
    layers: optional(array(text)),
    python: optional(text),
    runs: optional(flagValue),
    warmup: optional(flagValue),
    bytecode: optional(oneOf(['cached', 'compile'])),
    budget: optional(flagValue),
    'budget-package': optional(record(string(), positive)),
    forbid: optional(array(text)),
    'max-modules': optional(flagValue),
    baseline: optional(text),
    'max-regression': optional(flagValue),
    'min-delta': optional(flagValue),
    'allow-new': optional(array(text)),
    'allow-env-mismatch': optional(boolean()),
  });
}
let cachedSchema: ReturnType<typeof configSchema> | undefined;

export type LambdaColdConfig = Infer<ReturnType<typeof configSchema>>;

export interface LoadedConfig {
  file: string;
  config: LambdaColdConfig;
  /** Files that were found and not used (a pyproject table shadowed by the JSON file). */
  ignored: string[];
}

function validate(data: unknown, where: string): LambdaColdConfig {
  const r = (cachedSchema ??= configSchema()).safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  let key = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '';
  let message = issue?.message ?? 'not valid';
  if (issue?.code === 'unrecognized_keys') {
    key = (issue as { keys?: string[] }).keys?.[0] ?? key;
    message = 'not a lambda-cold setting (the keys are the flags\' names: runs, forbid, max-modules, budget, budget-package, baseline…)';
  }
  throw new UserError(`Invalid configuration in ${where}${key ? `: ${key}` : ''}: ${message}.`);
}

/**
 * The offending line under its number, a caret under the column (1-based both); the line before it too
 * when the parser stopped on an empty line (the end of the file, after an unclosed bracket).
 */
export function codeFrame(text: string, line: number, column: number): string {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\t/g, ' '));
  const width = String(line).length;
  const row = (n: number): string => `${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`;
  const caret = `${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`;
  const before = !(lines[line - 1] ?? '').trim() && line > 1 ? `${row(line - 1)}\n` : '';
  return `${before}${row(line)}\n${caret}`;
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** Where JSON.parse stopped: "… at position N" (Node 20), "(line L column C)" (Node 22 and later). */
function jsonErrorAt(message: string, text: string): { line: number; column: number } | null {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(message);
  if (pos) return lineColumn(text, Number(pos[1]));
  if (/end of (JSON )?input/i.test(message)) return lineColumn(text, text.trimEnd().length);
  return null;
}

function readJson(file: string): LambdaColdConfig {
  const text = readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = jsonErrorAt(message, text);
    const reason = message.replace(/,? ?(in JSON )?at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON$/, '');
    if (!at) throw new UserError(`${file} is not valid JSON: ${reason}.`);
    throw new UserError(`${file} is not valid JSON: ${reason} at line ${at.line}, column ${at.column}.`, { detail: codeFrame(text, at.line, at.column) });
  }
  return validate(data, file);
}

/** The `[tool.lambda-cold]` table of a pyproject.toml, or null when it has none. */
async function readPyproject(file: string): Promise<LambdaColdConfig | null> {
  const { parse, TomlError } = await import('smol-toml');
  const text = readFileSync(file, 'utf8');
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    const msg = (e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)).replace(/^Invalid TOML document: /, '').replace(/\.$/, '');
    if (e instanceof TomlError) {
      throw new UserError(`${file} is not valid TOML: ${msg} at line ${e.line}, column ${e.column}.`, { detail: codeFrame(text, e.line, e.column) });
    }
    throw new UserError(`${file} is not valid TOML: ${msg}.`);
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  const table = tool && typeof tool === 'object' ? tool['lambda-cold'] : undefined;
  if (table === undefined) return null;
  return validate(table, `${file} [tool.lambda-cold]`);
}

/**
 * `explicit`: a file given with --config (an error when it is missing or holds no settings).
 * Otherwise lambda-cold.config.json, then pyproject.toml's [tool.lambda-cold], in `dir`.
 */
export async function loadConfig(explicit: string | undefined, dir: string = process.cwd()): Promise<LoadedConfig | null> {
  if (explicit) {
    const file = resolve(explicit);
    if (!existsSync(file)) throw new UserError(`The configuration file ${explicit} does not exist.`);
    if (file.endsWith('.toml')) {
      const config = await readPyproject(file);
      if (!config) throw new UserError(`${explicit} has no [tool.lambda-cold] table.`);
      return { file, config, ignored: [] };
    }
    return { file, config: readJson(file), ignored: [] };
  }
  const json = join(dir, JSON_CONFIG);
  const py = join(dir, PYPROJECT);
  if (existsSync(json)) {
    const ignored: string[] = [];
    if (existsSync(py) && /^\s*\[tool\.lambda-cold\]/m.test(readFileSync(py, 'utf8'))) ignored.push(py);
    return { file: json, config: readJson(json), ignored };
  }
  if (existsSync(py)) {
    const config = await readPyproject(py);
    if (config) return { file: py, config, ignored: [] };
  }
  return null;
}

/**
 * The configuration as the command's raw options (the strings commander would give), paths made
 * absolute from the file's folder, so that one schema validates flags and file alike.
 */
export function configAsOptions(loaded: LoadedConfig): { target?: string; options: Record<string, unknown> } {
  const c = loaded.config;
  const base = dirname(loaded.file);
  const path = (p: string): string => resolve(base, p);
  const o: Record<string, unknown> = {};
  if (c.root !== undefined) o.root = path(c.root);
  if (c.layers !== undefined) o.layer = c.layers.map(path);
  if (c.python !== undefined) o.python = /[\\/]/.test(c.python) ? path(c.python) : c.python;
  if (c.runs !== undefined) o.runs = String(c.runs);
  if (c.warmup !== undefined) o.warmup = String(c.warmup);
  if (c.bytecode !== undefined) o.bytecode = c.bytecode;
  if (c.budget !== undefined) o.budget = String(c.budget);
  if (c['budget-package'] !== undefined) o.budgetPackage = Object.entries(c['budget-package']).map(([k, v]) => `${k}=${v}`);
  if (c.forbid !== undefined) o.forbid = c.forbid;
  if (c['max-modules'] !== undefined) o.maxModules = String(c['max-modules']);
  if (c.baseline !== undefined) o.baseline = path(c.baseline);
  if (c['max-regression'] !== undefined) o.maxRegression = String(c['max-regression']);
  if (c['min-delta'] !== undefined) o.minDelta = String(c['min-delta']);
  if (c['allow-new'] !== undefined) o.allowNew = c['allow-new'];
  if (c['allow-env-mismatch'] !== undefined) o.allowEnvMismatch = c['allow-env-mismatch'];
  // a file or folder next to the configuration, else a dotted module name (with root)
  const target = c.target === undefined ? undefined : existsSync(path(c.target)) ? path(c.target) : c.target;
  return { target, options: o };
}

/** Flags given on the command line win; the file fills in the rest; commander's defaults come last. */
export function mergeOptions(
  cli: Record<string, unknown>,
  explicit: ReadonlySet<string>,
  fromConfig: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...cli };
  for (const [k, v] of Object.entries(fromConfig)) if (!explicit.has(k)) out[k] = v;
  return out;
}
