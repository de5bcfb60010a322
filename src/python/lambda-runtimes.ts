// Which Lambda runtime a local Python stands in for: the runtime of the same minor version (python3.X), and
// whether Lambda still offers it. The list and its source are in docs/lambda-platform.md ("Lambda's Python
// runtimes"); AWS moves the deprecation dates of supported runtimes, so only those already past are kept here.

export type RuntimeStatus = 'supported' | 'deprecated' | 'none';

export interface LambdaRuntime {
  /** The runtime identifier of the same minor version: "python3.12". */
  id: string;
  /** supported: Lambda offers it; deprecated: it did, no longer; none: Lambda never had it. */
  status: RuntimeStatus;
  /** When it was deprecated (YYYY-MM-DD), for a deprecated runtime. */
  deprecatedOn: string | null;
}

/** Minor versions of Python 3 with a supported Lambda runtime. */
const SUPPORTED: ReadonlySet<number> = new Set([10, 11, 12, 13, 14]);

/** Python 3 runtimes Lambda has deprecated, with the date (the start of "end of support", phase 1). */
const DEPRECATED: Readonly<Record<number, string>> = {
  6: '2022-07-18',
  7: '2023-12-04',
  8: '2024-10-14',
  9: '2025-12-15',
};

export function lambdaRuntimeOf(major: number, minor: number): LambdaRuntime {
  const id = `python${major}.${minor}`;
  if (major !== 3) return { id, status: 'none', deprecatedOn: null };
  if (SUPPORTED.has(minor)) return { id, status: 'supported', deprecatedOn: null };
  const on = DEPRECATED[minor];
  return on ? { id, status: 'deprecated', deprecatedOn: on } : { id, status: 'none', deprecatedOn: null };
}
