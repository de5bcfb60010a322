// The CI gate's comparisons: the base revision against the working tree (--against), a saved baseline's
// environment against this run's. Orchestration: it runs Python and reports through the output.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { ProfileSession } from '../importtime/session.js';
import type { Interpreter } from '../python/interpreter.js';
import type { RunSpec } from '../python/runner.js';
import type { Target } from '../python/target.js';
import { UserError } from '../util/errors.js';
import type { Output } from '../util/output.js';
import { toolVersion } from '../version.js';
import { baseLabel, changedRequirements, linkUntracked, type BaseCheckout } from './against.js';
import { describeMismatch, environmentMismatches, environmentOf, type Baseline } from '../gate/baseline.js';
import { baseFromSession } from '../gate/sides.js';
import type { Measured } from '../gate/types.js';
import type { ProfileOptions } from './options.js';
import { measureInterleaved, sessionOf } from './runs.js';

/** Checkouts whose untracked files are linked already (the confirmation batch reuses them). */
const prepared = new WeakSet<BaseCheckout>();
const requirementsNote = new WeakMap<BaseCheckout, string>();

/** How an error names the side it comes from: "base (origin/main)", "head (working tree)". */
export function sideName(side: 'base' | 'head', checkout: Pick<BaseCheckout, 'ref'>): string {
  return side === 'base' ? `base (${checkout.ref})` : 'head (working tree)';
}

/** Run `f`; a user error it throws is said again with the side's name in front. */
function namingSide<T>(side: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    throw new UserError(`${side}: ${e.message}`, { detail: e.detail, exitCode: e.exitCode, cause: e });
  }
}

/** --against: the base revision in a temporary worktree and the working tree, measured interleaved. */
export async function againstRuns(
  target: Target,
  o: ProfileOptions,
  output: Output,
  checkout: BaseCheckout,
  interpreter: Interpreter,
  warmup: ProfileOptions['warmup'],
): Promise<Measured> {
  if (!checkout.inRepo(target.root)) {
    throw new UserError(`The task root ${target.root} is outside the git repository ${checkout.repo}: --against compares revisions of it.`);
  }
  const baseRoot = checkout.map(target.root);
  if (!existsSync(baseRoot)) {
    throw new UserError(`${sideName('base', checkout)}: the task root ${relative(checkout.repo, target.root) || '.'} does not exist in that revision.`);
  }
  // a layer folder the base does not have (built by pip, never committed) is used as it is
  const baseLayers = o.layer.map((l) => (checkout.inRepo(l) && existsSync(checkout.map(l)) ? checkout.map(l) : l));
  if (!prepared.has(checkout)) {
    prepared.add(checkout);
    linkUntracked(checkout, [target.root, ...o.layer.filter((l, i) => baseLayers[i] !== l)]);
    const changed = changedRequirements(checkout);
    if (changed.length > 0) {
      requirementsNote.set(
        checkout,
        `${changed.join(', ')} ${changed.length === 1 ? 'differs' : 'differ'} between ${sideName('base', checkout)} and the working tree: both sides ran with the working tree's installed dependencies`,
      );
    }
  }
  const baseTarget: Target = { ...target, root: baseRoot, path: target.path ? checkout.map(target.path) : null };
  const spec = (t: Target, layers: string[]): RunSpec => ({
    interpreter,
    module: t.module,
    root: t.root,
    layers,
    bytecode: o.bytecode === 'compile' ? 'compile' : 'cached',
    timeoutSec: o.timeout,
    noPth: !o.pth,
  });
  const label = baseLabel(checkout);
  const sides = await measureInterleaved(spec(baseTarget, baseLayers), spec(target, o.layer), {
    runs: o.runs,
    warmup,
    onRun: (side, outcome, done, total) => output.progress(`run ${done}/${total}: ${side === 'base' ? label : 'working tree'}${outcome.warmup ? ' (warm-up)' : ''}`),
  });
  output.done();
  const base = namingSide(sideName('base', checkout), () => sessionOf(sides.base, baseTarget, o, interpreter, baseLayers));
  const head = namingSide(sideName('head', checkout), () => sessionOf(sides.head, target, o, interpreter, o.layer));
  const note = requirementsNote.get(checkout);
  if (note && !head.warnings.includes(note)) head.warnings.push(note);
  return { head, base: baseFromSession(base, label) };
}


export function checkEnvironment(baseline: Baseline, file: string, session: ProfileSession, o: ProfileOptions, output: Output): void {
  const module = session.target?.module ?? '';
  if (baseline.measurement.module !== module) {
    throw new UserError(`The baseline ${file} measures the handler ${baseline.measurement.module}, not ${module}: save a baseline of this handler with --save-baseline.`);
  }
  const { blocking, warnings } = environmentMismatches(baseline, environmentOf(session, toolVersion()), session.bytecode ?? 'cached');
  if (blocking.length > 0 && !o.allowEnvMismatch) {
    throw new UserError(
      `The baseline ${file} was measured in another environment (${describeMismatch(blocking)}): its timings are not comparable; save a new baseline here, or pass --allow-env-mismatch.`,
    );
  }
  for (const w of [...(o.allowEnvMismatch ? blocking : []), ...warnings]) {
    output.warn(`the baseline was made with ${w.field} ${w.baseline}, this run with ${w.current}`);
  }
}

