// Analyse: what a deployment (function code + layers) ships, measured against how Lambda loads it — the
// sys.path layout (layout.ts), strip rules (strip.ts), the .pyc check (bytecode.ts) and what is never
// imported (never-imported.ts). Pure: it reads listings and the .pyc headers read beforehand
// (acquire: inventory.ts); the renderers only format what this returns.
import { checkBytecode } from './bytecode.js';
import { entryRows, layerLayout, placeFiles, runtimeView, sharedObjects } from './layout.js';
import { neverImported } from './never-imported.js';
import { distributionIndex, ownerOfRow } from './owners.js';
import type { PythonTarget } from './pyc.js';
import { resolveCopies, runtimeProvided } from './shadow.js';
import { strippableFiles } from './strip.js';
import type { DistRecords, Listing, PackageAnalysis, PycHeads } from './types.js';

/** Lambda's quotas: the error says "Unzipped size must be smaller than 262144000 bytes" (250 MiB). */
const UNZIPPED_LIMIT = 250 * 1024 * 1024;
/** Direct upload of a .zip through the API: 50 MiB. */
const ZIPPED_LIMIT = 50 * 1024 * 1024;
const LAYER_LIMIT = 5;

export interface AnalyseInput {
  function: Listing;
  layers: Listing[];
  python: PackageAnalysis['python'];
  target: PythonTarget;
  /** A profile's modules (dotted names): imported at init, and all of them (init and invoke). */
  profile: { display: string; init: string[]; all: string[] } | null;
  top: number;
  /** The .pyc headers bytecode.ts's pycFilesWanted names, read by inventory.ts's readPycHeads. */
  pycHeads: PycHeads;
  /** The installation records owners.ts's distRecordsWanted names, read by inventory.ts's readDistRecords. */
  records: DistRecords;
}

export function analysePackage(input: AnalyseInput): PackageAnalysis {
  const t = input.target;
  const placed = placeFiles(input.function, input.layers, t);
  const distributions = distributionIndex(placed, input.records);
  const packages = entryRows(placed, (row) => ownerOfRow(row, distributions));
  const strippable = strippableFiles(placed, t);
  const shared = sharedObjects(placed);

  const layout = layerLayout(input.layers, t, packages);
  const warnings = [...layout.warnings];
  if (input.layers.length > LAYER_LIMIT) warnings.push(`${input.layers.length} layers: a function can use at most ${LAYER_LIMIT}.`);
  for (const inv of [input.function, ...input.layers]) {
    for (const l of inv.skippedLinks) warnings.push(`${inv.display}: ${l} is a symbolic link to a folder and was not followed.`);
  }

  const view = runtimeView(placed);
  const copies = resolveCopies(packages, placed, view, t);
  const provided = runtimeProvided(copies.used);
  const bytecode = checkBytecode(
    view,
    layout.sysPath.map((s) => s.entry),
    input.pycHeads,
    t,
    input.profile ? input.profile.all : null,
  );

  const totalBytes = input.function.totalBytes + input.layers.reduce((s, l) => s + l.totalBytes, 0);
  const fileCount = input.function.files.length + input.layers.reduce((s, l) => s + l.files.length, 0);
  return {
    target: {
      display: input.function.display,
      type: input.function.type,
      bytes: input.function.totalBytes,
      files: input.function.files.length,
      zippedBytes: input.function.zippedBytes,
    },
    python: input.python,
    totalBytes,
    fileCount,
    packages,
    layers: layout.layers,
    sysPath: layout.sysPath,
    strippableBytes: strippable.reduce((s, f) => s + f.bytes, 0),
    strippable,
    sharedObjects: { count: shared.length, bytes: shared.reduce((s, f) => s + f.bytes, 0), largest: shared.slice(0, Math.max(input.top, 10)) },
    neverImported: input.profile ? neverImported(packages, input.profile) : null,
    shadowed: copies.shadowed,
    shadowedBytes: copies.shadowed.reduce((s, c) => s + c.bytes, 0),
    runtimeProvided: provided.shipped,
    runtimeMixed: provided.mixed,
    bytecode,
    limits: {
      unzippedBytes: totalBytes,
      unzippedLimit: UNZIPPED_LIMIT,
      zippedBytes: input.function.zippedBytes,
      zippedLimit: ZIPPED_LIMIT,
      layerCount: input.layers.length,
      layerLimit: LAYER_LIMIT,
    },
    warnings,
  };
}
