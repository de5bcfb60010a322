// Python versions, their bytecode cache tags and .pyc magic numbers, and reading a .pyc header.
//
// The magic number is the first two bytes of a .pyc (little-endian), followed by b'\r\n'. A runtime loads
// a cached .pyc only when it sits at __pycache__/<name>.<cache_tag>.pyc AND its magic is the runtime's own;
// otherwise it compiles the source — on Lambda at every cold start, /var/task being read-only.
//
// Values of released versions (a version's magic is frozen from its last release candidate on):
// 3.7–3.13 read off the interpreters on the development machine (importlib.util.MAGIC_NUMBER);
// all of them, 3.14 included, from CPython's list of known values (Lib/importlib/_bootstrap_external.py up to
// 3.13, Include/internal/pycore_magic_number.h from 3.14: "Python 3.14rc3 3627").

export interface PythonTarget {
  major: 3;
  minor: number;
  /** "3.12" */
  label: string;
  /** sys.implementation.cache_tag: "cpython-312" */
  cacheTag: string;
  /** the magic number of the released version */
  magic: number;
}

const RELEASED_MAGIC: Readonly<Record<number, number>> = {
  7: 3394,
  8: 3413,
  9: 3425,
  10: 3439,
  11: 3495,
  12: 3531,
  13: 3571,
  14: 3627,
};

/** Magic-number ranges per minor version (alphas and betas included), to name the version a .pyc was built by. */
const MAGIC_RANGES: ReadonlyArray<readonly [number, number, number]> = [
  [3360, 3389, 6],
  [3390, 3399, 7],
  [3400, 3419, 8],
  [3420, 3429, 9],
  [3430, 3449, 10],
  // from 3.11 on, 3.n starts at 2900 + 50n
  [3450, 3499, 11],
  [3500, 3549, 12],
  [3550, 3599, 13],
  [3600, 3649, 14],
  [3650, 3699, 15],
];

export const MIN_MINOR = 7;
export const MAX_MINOR = 14;

export function pythonTarget(minor: number): PythonTarget | null {
  const magic = RELEASED_MAGIC[minor];
  if (magic === undefined) return null;
  return { major: 3, minor, label: `3.${minor}`, cacheTag: `cpython-3${minor}`, magic };
}

/** The Python version (e.g. "3.11") whose bytecode carries this magic number, or null when unknown. */
export function versionOfMagic(magic: number): string | null {
  for (const [lo, hi, minor] of MAGIC_RANGES) if (magic >= lo && magic <= hi) return `3.${minor}`;
  return null;
}

export interface PycHeader {
  magic: number;
  /** PEP 552 flags: 0 timestamp-based, 1 unchecked hash, 3 checked hash. */
  flags: number;
  /** Source mtime (s) and size recorded by a timestamp-based .pyc. */
  sourceMtime: number | null;
  sourceSize: number | null;
}

/** Parse the first 16 bytes of a .pyc (3.7+ layout); null when it is not a .pyc at all. */
export function parsePycHeader(head: Buffer): PycHeader | null {
  if (head.length < 4 || head[2] !== 0x0d || head[3] !== 0x0a) return null;
  const magic = head.readUInt16LE(0);
  if (head.length < 16) return { magic, flags: 0, sourceMtime: null, sourceSize: null };
  const flags = head.readUInt32LE(4);
  const timestamp = (flags & 1) === 0;
  return {
    magic,
    flags,
    sourceMtime: timestamp ? head.readUInt32LE(8) : null,
    sourceSize: timestamp ? head.readUInt32LE(12) : null,
  };
}

/** "cpython-312" from a cached file name such as "core.cpython-312.pyc" or "core.cpython-312.opt-1.pyc". */
export function pycCacheTag(fileName: string): { stem: string; tag: string; opt: string | null } | null {
  const m = /^(.+?)\.([a-z]+-\d+)(?:\.(opt-\d+))?\.pyc$/.exec(fileName);
  if (!m) return null;
  return { stem: m[1] as string, tag: m[2] as string, opt: m[3] ?? null };
}

/**
 * The one way every message tells the user to ship bytecode: compileall run with the runtime's exact Python
 * (a .pyc is only loaded by the version that wrote it), hash-based and unchecked because /var/task and /opt
 * are read-only and never change under the runtime, so checking the source's mtime would only cost a stat
 * (https://docs.python.org/3/library/compileall.html, https://peps.python.org/pep-0552/).
 * `version`: "3.12", "python3.12", or null when the runtime is not known.
 */
export function compileRecipe(version: string | null, dir = '<dir>'): string {
  const m = version ? /(\d+\.\d+)/.exec(version) : null;
  const python = m ? `python${m[1]}` : 'python3.X';
  return `${python} -m compileall -q --invalidation-mode unchecked-hash ${dir}`;
}
