// What the package analysis gives: a deployment's entries, layers, sys.path, strippable files, shared
// objects, the .pyc check and what is never imported — and what it reads: listings, never files.
import type { Owner } from '../python/distributions.js';
import type { Inventory } from './inventory.js';

/** What the analysis reads of a deployment or a layer: its listing (inventory.ts reads the files). */
export type Listing = Pick<Inventory, 'type' | 'display' | 'files' | 'totalBytes' | 'zippedBytes' | 'skippedLinks'>;

/** The first bytes of the cached bytecode files the .pyc check needs, per listing: [function, ...layers]. */
export type PycHeads = ReadonlyArray<ReadonlyMap<string, Buffer>>;

/** The installation-record files (RECORD, METADATA, top_level.txt) owners.ts reads, per listing: [function, ...layers]. */
export type DistRecords = ReadonlyArray<ReadonlyMap<string, Buffer>>;

/**
 * Why an entry is not on the runtime's sys.path: at a layer's root (Lambda extracts a layer to /opt and
 * never puts /opt itself on sys.path), in another Python version's site-packages, or elsewhere outside
 * python/ (native libraries in lib/, tools in bin/, data).
 */
export type NotImportable = 'layer-root' | 'other-python-version' | 'outside-python';

export type EntryKind = 'package' | 'module' | 'extension' | 'metadata' | 'cache' | 'data';

export interface PackageRow {
  /** The import name for code (package, module, extension); the entry's own name otherwise. */
  name: string;
  kind: EntryKind;
  /** null: the function's code; n: layer n (0-based, Lambda order). */
  layer: number | null;
  /** The entry's path inside the deployment or layer (a folder ends with '/'). */
  path: string;
  /** Whether it is on the runtime's sys.path (a layer's files outside python/ are not). */
  importable: boolean;
  /** The sys.path entry holding it (/var/task, /opt/python, /opt/python/lib/pythonX.Y/site-packages); null when not importable. */
  root: string | null;
  /** Why it is not importable (null when it is). */
  notImportable: NotImportable | null;
  /** Whose it is: a distribution's when an installation record beside it claims it, the user's otherwise. */
  owner: Owner;
  bytes: number;
  files: number;
}

/** One copy of a top-level package or module that another copy hides from the runtime. */
export interface Shadowed {
  name: string;
  /** The copy the runtime imports. */
  used: { layer: number | null; path: string; root: string };
  /** The copy it hides. */
  shadowed: { layer: number | null; path: string; root: string };
  /** Bytes of the hidden copy that are never read (for a layer extracted over another: the files it overwrites). */
  bytes: number;
  files: number;
  /** Files of the hidden copy still visible beside the copy used (an earlier layer's files the later one lacks). */
  mixedFiles: number;
}

/** A distribution the Python runtime also provides that the deployment ships: the shipped copy wins. */
export interface RuntimeProvided {
  /** The import name (boto3, dateutil, six…). */
  name: string;
  distribution: string;
  /** From the shipped installation record, when there is one. */
  version: string | null;
  layer: number | null;
  path: string;
  bytes: number;
  files: number;
}

export type StripReason =
  | 'tests'
  | 'docs'
  | 'examples'
  | 'type-stubs'
  | 'other-python-bytecode'
  | 'optimized-bytecode'
  | 'dist-info-extras'
  | 'tool-caches'
  | 'os-metadata';

export interface StripFile {
  path: string;
  layer: number | null;
  bytes: number;
  reason: StripReason;
}

export interface SharedObject {
  path: string;
  layer: number | null;
  bytes: number;
}

export type PycStatus = 'ok' | 'missing' | 'wrong-magic' | 'stale' | 'invalid';

export interface ModulePyc {
  module: string;
  path: string;
  layer: number | null;
  status: PycStatus | 'extension';
  /** The cached file looked for (or found). */
  pyc: string | null;
  /** Its magic number and the Python version that writes it. */
  magic: number | null;
  magicVersion: string | null;
  note: string | null;
}

export interface BytecodeCheck {
  target: string;
  cacheTag: string;
  magic: number;
  /** .py files on the runtime's sys.path, and how many ship a usable .pyc. */
  pyFiles: number;
  counts: Record<PycStatus, number>;
  /** Per top-level package: its .py files and how many ship a usable .pyc. */
  packages: Array<{ name: string; layer: number | null; pyFiles: number; withPyc: number }>;
  /** The profile's imported modules found in the deployment (null without a profile). */
  modules: ModulePyc[] | null;
}

export interface LayerReport {
  index: number;
  display: string;
  type: 'folder' | 'zip';
  bytes: number;
  files: number;
  zippedBytes: number | null;
  /** The sys.path entries this layer puts files in, for the target runtime. */
  sysPath: string[];
  /** python/lib/pythonX.Y/site-packages folders for other versions: never on this runtime's sys.path. */
  otherVersionSitePackages: Array<{ path: string; bytes: number; files: number }>;
  /** Bytes outside python/: not importable (native libraries in lib/, tools in bin/, data). */
  notImportableBytes: number;
}

export interface NeverImported {
  profile: string;
  importedTopLevel: number;
  packages: PackageRow[];
  /** Those of them the profile saw imported during the first call (profile --invoke): deferred, not unused. */
  importedAtInvoke: string[];
  bytes: number;
  files: number;
}

export interface PackageAnalysis {
  target: { display: string; type: 'folder' | 'zip'; bytes: number; files: number; zippedBytes: number | null };
  python: { label: string; cacheTag: string; magic: number; source: 'runtime' | 'interpreter'; interpreter: string | null };
  totalBytes: number;
  fileCount: number;
  packages: PackageRow[];
  layers: LayerReport[];
  sysPath: Array<{ entry: string; layers: number[] }>;
  strippableBytes: number;
  strippable: StripFile[];
  sharedObjects: { count: number; bytes: number; largest: SharedObject[] };
  neverImported: NeverImported | null;
  /** Copies hidden by another copy of the same top-level name, and the bytes they waste. */
  shadowed: Shadowed[];
  shadowedBytes: number;
  /** What the deployment ships of what the runtime already provides (boto3 and its dependencies). */
  runtimeProvided: RuntimeProvided[];
  /** Runtime-provided distributions not shipped that would import a shipped one (e.g. the runtime's botocore and a shipped urllib3). */
  runtimeMixed: Array<{ runtime: string; imports: string }>;
  bytecode: BytecodeCheck;
  limits: {
    unzippedBytes: number;
    unzippedLimit: number;
    zippedBytes: number | null;
    zippedLimit: number;
    layerCount: number;
    layerLimit: number;
  };
  warnings: string[];
}
