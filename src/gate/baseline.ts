// Baselines: a versioned JSON file holding the environment's identity, the raw per-run samples and the
// module set with per-module medians. Read back with a zod schema: a corrupt or foreign file, or one made
// in another environment, is one clear sentence (exit 2), never a stack trace.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { dirname, resolve } from 'node:path';
import {
  array,
  boolean,
  enum as oneOf,
  int,
  literal,
  minLength,
  nullable,
  number,
  object,
  optional,
  record,
  string,
  type infer as Infer,
} from 'zod/mini';
import type { ProfileSession } from '../importtime/session.js';
import { UserError } from '../util/errors.js';
import { baselineModules } from './modules.js';

const BASELINE_KIND = 'lambda-cold-baseline';
const BASELINE_SCHEMA_VERSION = 1;

/** Who measured: a baseline is only comparable with runs from the same interpreter on the same platform. */
export interface EnvironmentIdentity {
  pythonVersion: string;
  implementation: string;
  platform: string;
  architecture: string;
  lambdaColdVersion: string;
}

const Environment = object({
  pythonVersion: string(),
  implementation: string(),
  platform: string(),
  architecture: string(),
  lambdaColdVersion: string(),
});

const ModuleEntry = object({
  name: string().check(minLength(1)),
  package: string(),
  depth: int(),
  /** In how many of the runs it was imported. */
  runs: int(),
  selfUs: number(),
  cumulativeUs: number(),
});

const Baseline = object({
  kind: literal(BASELINE_KIND),
  schemaVersion: literal(BASELINE_SCHEMA_VERSION),
  createdAt: string(),
  environment: Environment,
  measurement: object({
    module: string(),
    bytecode: oneOf(['cached', 'compile']),
    runs: int(),
    warmup: int(),
  }),
  samples: object({
    /** The handler's import per run (µs): the sample the timing decision tests. */
    importUs: array(number()).check(minLength(1)),
    /** The same runs' start-up + runtime bootstrap (µs): the machine-speed control (see analysis/control.ts). */
    controlUs: optional(array(number())),
    /** Standard-library modules imported by the handler: self time per run (µs). */
    stdlibSelfUs: optional(record(string(), array(number()))),
  }),
  /** BaselineModule (modules.ts, built without these schemas): buildBaseline and gate/sides.ts check both ways that the shapes agree. */
  modules: array(ModuleEntry),
  packages: optional(array(object({ name: string(), selfUs: number(), cumulativeUs: number(), moduleCount: int() }))),
  notes: optional(nullable(object({ gitCommit: optional(nullable(string())), dirty: optional(boolean()) }))),
});
export type Baseline = Infer<typeof Baseline>;

/** Node's architecture names → Python's platform.machine() spelling, as shown to users. */
function machineArchitecture(a: string = arch()): string {
  return ({ x64: 'x86_64', arm64: 'aarch64', ia32: 'i386' } as Record<string, string>)[a] ?? a;
}

export function environmentOf(session: ProfileSession, toolVersion: string): EnvironmentIdentity {
  if (!session.python) throw new UserError('A baseline needs a profile that ran Python (not --from-file captures).');
  return {
    pythonVersion: session.python.version,
    implementation: session.python.implementation,
    platform: session.python.platform,
    architecture: machineArchitecture(),
    lambdaColdVersion: toolVersion,
  };
}

export function buildBaseline(session: ProfileSession, toolVersion: string, notes?: Baseline['notes']): Baseline {
  const env = environmentOf(session, toolVersion);
  return {
    kind: BASELINE_KIND,
    schemaVersion: BASELINE_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    environment: env,
    measurement: {
      module: session.target?.module ?? '',
      bytecode: session.bytecode ?? 'cached',
      runs: session.aggregate.runs,
      warmup: session.warmup,
    },
    samples: {
      importUs: [...session.aggregate.totalsUs],
      ...(session.controlUsPerRun ? { controlUs: [...session.controlUsPerRun] } : {}),
      ...(session.stdlibSelfUsPerRun ? { stdlibSelfUs: Object.fromEntries(session.stdlibSelfUsPerRun) } : {}),
    },
    modules: baselineModules(session),
    packages: session.packages.map((p) => ({ name: p.name, selfUs: p.selfUs, cumulativeUs: p.cumulativeUs, moduleCount: p.moduleCount })),
    notes: notes ?? null,
  };
}

/** Write atomically (a reader never sees half a file). */
export function saveBaseline(file: string, baseline: Baseline): void {
  const abs = resolve(file);
  mkdirSync(dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(baseline, null, 2)}\n`);
  renameSync(tmp, abs);
}

export function loadBaseline(file: string): Baseline {
  if (!existsSync(file)) {
    throw new UserError(`The baseline file ${file} does not exist: create it with --save-baseline ${file}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    throw new UserError(`The baseline file ${file} is not valid JSON (corrupt or truncated): save it again with --save-baseline.`);
  }
  const kind = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).kind : undefined;
  if (kind !== BASELINE_KIND) {
    throw new UserError(`${file} is not a lambda-cold baseline (no "kind": "${BASELINE_KIND}"): save one with --save-baseline.`);
  }
  const version = (data as Record<string, unknown>).schemaVersion;
  if (version !== BASELINE_SCHEMA_VERSION) {
    throw new UserError(
      `The baseline ${file} has schema version ${JSON.stringify(version)}, which this lambda-cold does not read (it reads version ${BASELINE_SCHEMA_VERSION}): save it again with --save-baseline.`,
    );
  }
  const r = Baseline.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    const at = issue && issue.path.length > 0 ? issue.path.join('.') : 'the document';
    throw new UserError(`The baseline ${file} is corrupt: ${at}: ${issue?.message ?? 'not valid'}; save it again with --save-baseline.`);
  }
  return r.data;
}

export interface EnvironmentMismatch {
  field: string;
  baseline: string;
  current: string;
}

/** What differs in the ways that make timings incomparable (the lambda-cold version only warns). */
export function environmentMismatches(
  baseline: Baseline,
  current: EnvironmentIdentity,
  bytecode: string,
): { blocking: EnvironmentMismatch[]; warnings: EnvironmentMismatch[] } {
  const b = baseline.environment;
  const blocking: EnvironmentMismatch[] = [];
  const check = (field: string, was: string, now: string): void => {
    if (was !== now) blocking.push({ field, baseline: was, current: now });
  };
  check('Python version', b.pythonVersion, current.pythonVersion);
  check('Python implementation', b.implementation, current.implementation);
  check('platform', b.platform, current.platform);
  check('architecture', b.architecture, current.architecture);
  check('bytecode mode', baseline.measurement.bytecode, bytecode);
  const warnings: EnvironmentMismatch[] = [];
  if (b.lambdaColdVersion !== current.lambdaColdVersion) {
    warnings.push({ field: 'lambda-cold version', baseline: b.lambdaColdVersion, current: current.lambdaColdVersion });
  }
  return { blocking, warnings };
}

export function describeMismatch(ms: readonly EnvironmentMismatch[]): string {
  return ms.map((m) => `${m.field} ${m.baseline} in the baseline, ${m.current} here`).join('; ');
}
