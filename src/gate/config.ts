// Configuration for CI: `[tool.lambda-cold]` in pyproject.toml (Python projects' home for tool settings,
// read with smol-toml) or lambda-cold.config.json, validated with zod. Keys are the flags' names
// (`max-modules`, `budget-package`…); paths are relative to the file's folder. Command-line flags
// override the file key by key.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  array,
  boolean,
  enum as oneOf,
  gt,
  int,
  minimum,
  minLength,
  number,
  optional,
  record,
  strictObject,
  string,
  union,
  literal,
  type infer as Infer,
} from 'zod/mini';
import { UserError } from '../util/errors.js';

const JSON_CONFIG = 'lambda-cold.config.json';
const PYPROJECT = 'pyproject.toml';

// Built on first use: most profiles have no configuration file, and zod schemas cost start-up time.
function configSchema() {
  const text = string().check(minLength(1, { error: 'must not be empty' }));
  const positive = number().check(gt(0, { error: 'must be greater than 0' }));
  const atLeast = (n: number) => int().check(minimum(n, { error: `must be a whole number of at least ${n}` }));
  return strictObject({
    target: optional(text),
    root: optional(text),
    layers: optional(array(text)),
    python: optional(text),
    runs: optional(atLeast(1)),
    warmup: optional(union([literal('auto'), atLeast(0)])),
    bytecode: optional(oneOf(['cached', 'compile'])),
    budget: optional(positive),
    'budget-package': optional(record(string(), positive)),
    forbid: optional(array(text)),
    'max-modules': optional(atLeast(0)),
    baseline: optional(text),
    'max-regression': optional(number().check(minimum(0, { error: 'must be at least 0' }))),
    'min-delta': optional(number().check(minimum(0, { error: 'must be at least 0' }))),
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

function readJson(file: string): LambdaColdConfig {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new UserError(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}.`);
  }
  return validate(data, file);
}

/** The `[tool.lambda-cold]` table of a pyproject.toml, or null when it has none. */
async function readPyproject(file: string): Promise<LambdaColdConfig | null> {
  const { parse } = await import('smol-toml');
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
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
