// What the CI gate takes and gives: its options, the checks it made, the failures, the comparison with a
// base (a saved baseline or the base revision measured now), and the words it reports them in.
import type { Decision, Thresholds } from '../analysis/decision.js';
import type { ProfileSession } from '../importtime/session.js';
import type { BaselineModule } from './modules.js';

export type FailureKind = 'forbid' | 'max-modules' | 'budget' | 'budget-package' | 'new-module' | 'regression';

export interface GateOptions extends Thresholds {
  forbid: string[];
  maxModules?: number;
  /** ms: the median of the handler's import. */
  budgetMs?: number;
  /** ms per top-level package (its import time, dependencies included). */
  budgetPackages: Array<{ name: string; ms: number }>;
  /** Modules (or globs) a baseline comparison accepts as new. */
  allowNew: string[];
}

/** The significance level of the regression decision (no flag changes it). */
export const DEFAULT_ALPHA = 0.01;

export interface GateFailure {
  kind: FailureKind;
  module: string | null;
  message: string;
  /** The import chain from the handler to the module, for annotations (null when there is none). */
  chain: string[] | null;
}

export interface GateCheck {
  /** Stable key: 'forbid:pandas', 'budget', 'budget-package:boto3', 'regression'… */
  key: string;
  kind: FailureKind;
  timing: boolean;
  label: string;
  limit: string;
  measured: string;
  passed: boolean;
  /** Timing checks that failed a first batch and passed the confirmation batch. */
  unconfirmed?: boolean;
}

/** The side a comparison is made against: a saved baseline or the base revision measured now. */
export interface BaseSide {
  label: string;
  importUs: number[];
  /** Per run: the machine-speed control (start-up + runtime bootstrap), when measured. */
  controlUs: number[] | null;
  /** Per standard-library module: its self time per run, when measured. */
  stdlib: Map<string, number[]> | null;
  modules: BaselineModule[];
  runs: number;
  /** Names looked for and not found (measured now only: a baseline file does not keep them). */
  missing?: string[];
}

export interface ModuleChange {
  name: string;
  baseSelfUs: number;
  headSelfUs: number;
  deltaUs: number;
  status: 'changed' | 'new' | 'removed';
}

/** The timing decision (analysis/decision.ts) against a named base, with the modules that changed. */
export interface Comparison extends Omit<Decision, 'largeEnough'> {
  baseLabel: string;
  /** Biggest changes in median self time first (new and removed modules included). */
  changes: ModuleChange[];
  newModules: string[];
  removedModules: string[];
  /** The base's per-module medians (for the differential icicle of `--html`; the JSON document leaves them out). */
  baseModules?: readonly BaselineModule[];
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  failures: GateFailure[];
  comparison: Comparison | null;
  /** When timing gates failed a first batch, a second batch was measured: they fail only if both agree. */
  confirmation: { runs: number; confirmed: string[]; dismissed: string[] } | null;
}

/** One batch: the head measured now and the base it is compared with. */
export interface Measured {
  head: ProfileSession;
  base: BaseSide | null;
}

/**
 * The wording of the figures in checks and failure messages. The gate decides; the words are the
 * renderer's (render/gate-text.ts), handed in by the command so that the gate never imports a renderer.
 */
export interface GateWording {
  /** µs as milliseconds, without the unit: "12.3". */
  ms(us: number): string;
  /** An import chain: "handler → app.db → pandas". */
  chain(chain: readonly string[]): string;
  /** The comparison's medians, rise and p-value: "51.5 → 76.5 ms (+25.0 ms, +48.5%, p < 0.0001)". */
  delta(c: Comparison): string;
  /** The regression failure's sentence, naming the module that changed most. */
  regression(c: Comparison, o: GateOptions): string;
}
