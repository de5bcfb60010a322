// What a piece of advice says: the kind, the file and line to change, and the measured saving.
export type AdviceKind =
  | 'defer-import'
  | 'defer-together'
  | 'unused-import'
  | 'import-side-effects'
  | 'dependency-cost'
  | 'ship-pyc'
  | 'module-client'
  | 'consider-provisioned-or-snapstart';

export interface Advice {
  kind: AdviceKind;
  /** The file to change, relative to the task root when inside it. */
  file: string;
  line: number;
  module: string;
  /** What following it is expected to save at init, from this profile's measurements. */
  savingMs: number;
  message: string;
  /** module-client: what it costs (kept on purpose). */
  costMs?: number;
  /** defer-import with a memory size: its cost at init, and in the first request at that size. */
  initMs?: number;
  firstRequestMs?: number;
  /** defer-import with a memory size: false when the first request would pay more than init saves (savingMs 0). */
  recommended?: boolean;
  scaling?: { memorySizeMB: number; factor: number; source: 'estimate' | 'measured'; method: string; fromSizesMB: number[] };
}
