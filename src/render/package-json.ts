// `package --json`: one document on stdout. Versioned like the profile's; later versions only add fields.
import { STRIP_REASON_TEXT } from '../package/strip.js';
import type { PackageAnalysis, StripReason } from '../package/types.js';
import type { PackageInput } from './inputs.js';
import { writeCompactLists } from './json-writer.js';
import type { Renderer } from './renderer.js';

export const PACKAGE_SCHEMA_VERSION = 1;

export function packageDocument(a: PackageAnalysis, toolVersion: string): Record<string, unknown> {
  const byReason = new Map<StripReason, { reason: StripReason; description: string; bytes: number; files: number }>();
  for (const s of a.strippable) {
    const r = byReason.get(s.reason) ?? { reason: s.reason, description: STRIP_REASON_TEXT[s.reason], bytes: 0, files: 0 };
    r.bytes += s.bytes;
    r.files += 1;
    byReason.set(s.reason, r);
  }
  return {
    schemaVersion: PACKAGE_SCHEMA_VERSION,
    kind: 'package',
    tool: { name: 'lambda-cold', version: toolVersion },
    target: { path: a.target.display, type: a.target.type, bytes: a.target.bytes, files: a.target.files, zippedBytes: a.target.zippedBytes },
    python: { version: a.python.label, cacheTag: a.python.cacheTag, magic: a.python.magic, source: a.python.source, interpreter: a.python.interpreter },
    totalBytes: a.totalBytes,
    fileCount: a.fileCount,
    packages: a.packages.map((p) => ({
      name: p.name,
      bytes: p.bytes,
      files: p.files,
      kind: p.kind,
      layer: p.layer,
      path: p.path,
      importable: p.importable,
      sysPathEntry: p.root,
      notImportable: p.notImportable,
      owner: p.owner,
    })),
    layers: a.layers.map((l) => ({
      index: l.index,
      path: l.display,
      type: l.type,
      bytes: l.bytes,
      files: l.files,
      zippedBytes: l.zippedBytes,
      sysPath: l.sysPath,
      otherVersionSitePackages: l.otherVersionSitePackages,
      notImportableBytes: l.notImportableBytes,
    })),
    sysPath: a.sysPath,
    strippableBytes: a.strippableBytes,
    strippableByReason: [...byReason.values()].sort((x, y) => y.bytes - x.bytes || (x.reason < y.reason ? -1 : 1)),
    strippable: a.strippable.map((s) => ({ path: s.path, bytes: s.bytes, reason: s.reason, layer: s.layer })),
    sharedObjects: { count: a.sharedObjects.count, bytes: a.sharedObjects.bytes },
    largestSharedObjects: a.sharedObjects.largest.map((s) => ({ path: s.path, bytes: s.bytes, layer: s.layer })),
    neverImported: a.neverImported && {
      profile: a.neverImported.profile,
      importedTopLevel: a.neverImported.importedTopLevel,
      bytes: a.neverImported.bytes,
      files: a.neverImported.files,
      packages: a.neverImported.packages.map((p) => ({
        name: p.name,
        bytes: p.bytes,
        files: p.files,
        kind: p.kind,
        layer: p.layer,
        path: p.path,
        importedAtInvoke: a.neverImported?.importedAtInvoke.includes(p.name) ?? false,
      })),
    },
    shadowedBytes: a.shadowedBytes,
    shadowed: a.shadowed,
    runtimeProvided: a.runtimeProvided,
    runtimeProvidedBytes: a.runtimeProvided.reduce((s, r) => s + r.bytes, 0),
    runtimeImportsShipped: a.runtimeMixed,
    bytecode: {
      pythonVersion: a.bytecode.target,
      cacheTag: a.bytecode.cacheTag,
      magic: a.bytecode.magic,
      pyFiles: a.bytecode.pyFiles,
      withPyc: a.bytecode.counts.ok,
      missing: a.bytecode.counts.missing,
      wrongMagic: a.bytecode.counts['wrong-magic'],
      stale: a.bytecode.counts.stale,
      invalid: a.bytecode.counts.invalid,
      packages: a.bytecode.packages,
      modules: a.bytecode.modules,
    },
    limits: a.limits,
    warnings: a.warnings,
  };
}

/** Pretty-printed, each entry of the long lists on one line (a big deployment has thousands of files). */
export const renderer: Renderer<PackageInput> = {
  render({ analysis, toolVersion }, sink) {
    writeCompactLists(packageDocument(analysis, toolVersion), ['packages', 'strippable', 'largestSharedObjects'], sink);
  },
};
