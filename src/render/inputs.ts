// What each kind of renderer takes: the document of one command run, already analysed.
import type { Advice } from '../analysis/advice/types.js';
import type { InvokeSummary } from '../analysis/invoke-stats.js';
import type { MemorySweep } from '../analysis/memory-sweep.js';
import type { GateResult } from '../gate/types.js';
import type { ProfileSession } from '../importtime/session.js';
import type { FunctionInfo, InvocationRecord } from '../model/invocation.js';
import type { PackageAnalysis } from '../package/types.js';
import type { LogsReport } from './logs-input.js';
import type { PythonsInput } from './pythons-input.js';

/** How much of a profile the terminal report shows (the JSON document always has everything). */
export interface ProfileRenderOptions {
  /** Rows in the ranked tables. */
  top: number;
  /** Print the import tree. */
  tree: boolean;
  maxDepth?: number;
  minMs?: number;
  /** With the tree: each user module's costliest top-level statements under it (--lines). */
  lines?: boolean;
}

/** `profile`: the session, the advice on it, and the gate's result when a gate ran. */
export interface ProfileInput {
  session: ProfileSession;
  advice: readonly Advice[];
  gate: GateResult | null;
  options: ProfileRenderOptions;
  toolVersion: string;
}

/** `profile --sam`: one profile per Python function of the template. */
export interface SamInput {
  template: string;
  functions: Array<{
    logicalId: string;
    runtime: string;
    handler: string;
    root: string;
    layers: string[];
    skippedLayers: string[];
    profile: ProfileInput;
  }>;
  skipped: Array<{ logicalId: string; reason: string }>;
  /** Whether the report ends with the functions that were skipped (not when one was chosen). */
  listSkipped: boolean;
}

/** `package`. */
export interface PackageInput {
  analysis: PackageAnalysis;
  top: number;
  toolVersion: string;
}

/** `invoke`: the document one run produces. */
export interface InvokeReport {
  function: FunctionInfo;
  region: string;
  invocations: InvocationRecord[];
  summary: InvokeSummary;
  forced: {
    cold: boolean;
    /** Configuration updates made to retire environments. */
    updates: number;
    restore: 'restored' | 'unchanged' | 'conflict' | 'not-needed';
    recoveryFile: string | null;
  };
  /** Notes on what the numbers mean (provisioned concurrency, SnapStart, …). */
  notes: string[];
  interrupted: boolean;
  /** 429 answers (retried, or left to the next --cold round): no invocation ran for them. */
  throttled?: number;
}

/** `invoke --cold --memory`: one row per memory size, the init boost, the recommendation. */
export interface InvokeMemoryReport {
  /** The function as it was before the sweep (memorySizeMB: the original size, restored at the end). */
  function: FunctionInfo;
  region: string;
  sweep: MemorySweep;
  requested: { sizesMB: number[]; count: number; concurrency: number; warm: number };
  forced: {
    /** Configuration updates made to set the sizes and retire environments (the restore not included). */
    updates: number;
    restore: 'restored' | 'unchanged' | 'conflict' | 'not-needed';
    recoveryFile: string | null;
  };
  interrupted: boolean;
  /** Why the sweep stopped before its last size (somebody changed the function, …), or null. */
  stoppedBy: string | null;
  notes: string[];
}

/** Every kind of document, by the name the registry lists its formats under. */
export interface RenderInputs {
  profile: ProfileInput;
  'profile-sam': SamInput;
  'profile-pythons': PythonsInput;
  package: PackageInput;
  invoke: InvokeReport;
  'invoke-memory': InvokeMemoryReport;
  logs: LogsReport;
}
