// `lambda-cold package <dir|zip>`: validate options, acquire (inventories of the function and its layers,
// a profile's module list), analyse, render. Every bad input is one sentence, exit 2.
import { EXIT_OK, UserError } from '../util/errors.js';
import { _default, array, boolean, object, optional, regex, string, type infer as Infer } from 'zod/mini';
import { intFlag, nonEmpty, numberFlag, parseOptions } from '../util/options.js';
import { createOutput } from '../util/output.js';
import { toolVersion } from '../version.js';
import { analysePackage } from '../package/analysis.js';
import { readAnalysisFiles } from '../package/acquire.js';
import { openInventory, type Inventory } from '../package/inventory.js';
import { MAX_MINOR, MIN_MINOR, pythonTarget, type PythonTarget } from '../package/pyc.js';
import type { PackageAnalysis } from '../package/types.js';
import { resolveInterpreter, type Interpreter } from '../python/interpreter.js';
import { render } from '../render/registry.js';
import { blockSink } from '../render/sink.js';

const PackageOptions = object({
  layer: _default(array(nonEmpty), []),
  runtime: optional(string().check(regex(/^python3\.\d+$/, { error: `expected a Lambda Python runtime such as python3.12 (python3.${MIN_MINOR} to python3.${MAX_MINOR})` }))),
  python: optional(nonEmpty),
  profileJson: optional(nonEmpty),
  /** The deprecated name of --profile-json. */
  profile: optional(nonEmpty),
  handler: optional(nonEmpty),
  top: intFlag(1, 100_000),
  json: _default(boolean(), false),
  timeout: numberFlag(0, { exclusiveMin: true, max: 86_400 }),
});
export type PackageOptions = Infer<typeof PackageOptions>;

function runtimeTarget(runtime: string): PythonTarget {
  const minor = Number(runtime.slice('python3.'.length));
  const t = pythonTarget(minor);
  if (!t) {
    throw new UserError(
      `Invalid value for --runtime: ${runtime} is not a Python runtime lambda-cold knows the bytecode of (python3.${MIN_MINOR} to python3.${MAX_MINOR}).`,
    );
  }
  return t;
}

export async function runPackage(path: string, raw: Record<string, unknown>): Promise<number> {
  const parsed = parseOptions(PackageOptions, raw);
  const output = createOutput();
  if (parsed.profile !== undefined) {
    if (parsed.profileJson !== undefined) throw new UserError('Give --profile-json once (--profile is its deprecated name).');
    output.warn('package --profile is deprecated (in invoke and restore --profile names an AWS profile): use --profile-json');
  }
  const o = { ...parsed, profileJson: parsed.profileJson ?? parsed.profile };
  if (o.profileJson && o.handler) throw new UserError('Give either --profile-json <file> or --handler <module>, not both.');

  let target: PythonTarget;
  let interpreter: Interpreter | null = null;
  let python: PackageAnalysis['python'];
  if (o.runtime) {
    target = runtimeTarget(o.runtime);
    python = { label: target.label, cacheTag: target.cacheTag, magic: target.magic, source: 'runtime', interpreter: null };
  } else {
    interpreter = resolveInterpreter(o.python, process.cwd());
    const t = interpreter.implementation === 'cpython' ? pythonTarget(interpreter.minor) : null;
    if (!t) {
      throw new UserError(
        `The local Python (${interpreter.implementation} ${interpreter.version}) is not a Lambda runtime lambda-cold knows the bytecode of: pass the function's runtime with --runtime python3.X.`,
      );
    }
    target = t;
    python = { label: t.label, cacheTag: t.cacheTag, magic: t.magic, source: 'interpreter', interpreter: interpreter.executable };
  }

  const profile = o.profileJson ? await import('../package/profile-input.js').then((m) => m.readProfileJson(o.profileJson as string)) : null;
  const opened: Inventory[] = [];
  try {
    const fn = await openInventory(path, 'deployment');
    opened.push(fn);
    const layers: Inventory[] = [];
    for (const l of o.layer) {
      const inv = await openInventory(l, 'layer');
      opened.push(inv);
      layers.push(inv);
    }
    let prof: { display: string; init: string[]; all: string[] } | null = profile ? { display: o.profileJson as string, ...profile } : null;
    if (o.handler) {
      const { importsOfHandler } = await import('../package/handler-run.js');
      const py = interpreter ?? resolveInterpreter(o.python, process.cwd());
      if (py.minor !== target.minor) {
        output.warn(`the handler is imported with the local Python ${py.version} to find what it imports; the runtime is python${target.label}, which may import other modules.`);
      }
      output.progress(`Python ${py.version}: importing the handler ${o.handler}…`);
      const r = await importsOfHandler(o.handler, fn, layers, py, o.timeout);
      output.done();
      prof = { display: `--handler ${r.module}`, init: r.modules, all: r.modules };
    }
    const read = await readAnalysisFiles(fn, layers, target);
    const analysis = analysePackage({ function: fn, layers, python, target, profile: prof, top: o.top, ...read });
    for (const w of analysis.warnings) output.warn(w);
    const sink = blockSink((block) => output.out(block));
    await render('package', o.json ? 'json' : 'text', { analysis, top: o.top, toolVersion: toolVersion() }, sink);
    sink.end();
  } finally {
    for (const inv of opened) inv.close();
  }
  return EXIT_OK;
}
