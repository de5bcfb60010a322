// A task root as `pip install -t` leaves it: real installed distributions copied with their `*.dist-info`
// folders (every file their RECORD lists), from the site-packages of a real Python on this machine.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** The folders a Python installs distributions into (purelib, platlib). */
export function sitePackages(python: string): string[] {
  const out = execFileSync(python, ['-c', 'import sysconfig, json; p = sysconfig.get_paths(); print(json.dumps(sorted({p["purelib"], p["platlib"]})))'], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

const normalise = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

function findDistInfo(sites: readonly string[], distribution: string): { site: string; folder: string } | null {
  for (const site of sites) {
    if (!existsSync(site)) continue;
    for (const folder of readdirSync(site)) {
      if (!folder.endsWith('.dist-info')) continue;
      const meta = readFileSync(join(site, folder, 'METADATA'), 'utf8');
      const name = /^Name:\s*(.+)$/m.exec(meta)?.[1]?.trim();
      if (name && normalise(name) === normalise(distribution)) return { site, folder };
    }
  }
  return null;
}

/** Distributions of the list that this Python does not have. */
export function missingDistributions(python: string, distributions: readonly string[]): string[] {
  const sites = sitePackages(python);
  return distributions.filter((d) => !findDistInfo(sites, d));
}

/**
 * Copy each distribution (by its project name, e.g. `python-dateutil`) into `dest` as pip would: every
 * file its RECORD names, the dist-info folder included. Throws, naming it, when one is not installed.
 */
export function installInto(python: string, distributions: readonly string[], dest: string): void {
  const sites = sitePackages(python);
  for (const d of distributions) {
    const found = findDistInfo(sites, d);
    if (!found) throw new Error(`${d} is not installed for ${python}: the real-package fixture needs it`);
    const record = readFileSync(join(found.site, found.folder, 'RECORD'), 'utf8');
    for (const line of record.split(/\r?\n/)) {
      const rel = line.startsWith('"') ? line.slice(1, line.indexOf('",')) : line.split(',', 1)[0];
      if (!rel || rel.startsWith('..') || rel.startsWith('/')) continue; // console scripts land outside
      const from = join(found.site, normalize(rel));
      if (!existsSync(from)) continue;
      mkdirSync(dirname(join(dest, rel)), { recursive: true });
      copyFileSync(from, join(dest, rel));
    }
  }
}
