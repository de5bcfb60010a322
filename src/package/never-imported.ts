// Never imported: the top-level packages and modules a deployment ships that the profile never saw
// imported at init — candidates to drop or to load lazily. Those imported during the first call
// (profile --invoke) are deferred, not unused, and are marked so.
import type { NeverImported, PackageRow } from './types.js';

export function neverImported(rows: readonly PackageRow[], profile: { display: string; init: readonly string[]; all: readonly string[] }): NeverImported {
  const imported = new Set(profile.init.map((m) => m.split('.')[0] as string));
  const never = rows.filter((r) => r.importable && (r.kind === 'package' || r.kind === 'module' || r.kind === 'extension') && !imported.has(r.name));
  const later = new Set(profile.all.map((m) => m.split('.')[0] as string));
  return {
    profile: profile.display,
    importedTopLevel: imported.size,
    packages: never,
    importedAtInvoke: [...new Set(never.filter((r) => later.has(r.name)).map((r) => r.name))].sort(),
    bytes: never.reduce((s, r) => s + r.bytes, 0),
    files: never.reduce((s, r) => s + r.files, 0),
  };
}
