// Strip rules: files a deployment ships that the runtime never reads (tests, docs, bytecode for another
// Python, install records, tool caches, OS metadata). Pure: it judges paths, never reads files.
import { sortRows, type Placed } from './layout.js';
import { pycCacheTag, type PythonTarget } from './pyc.js';
import type { StripFile, StripReason } from './types.js';

export const STRIP_REASON_TEXT: Readonly<Record<StripReason, string>> = {
  tests: 'tests: test suites are never imported by the handler',
  docs: 'docs: documentation files',
  examples: 'examples: sample code',
  'type-stubs': '.pyi stubs: only type checkers read them',
  'other-python-bytecode': 'bytecode for another Python version: the runtime ignores it',
  'optimized-bytecode': 'optimised bytecode (.opt-N.pyc): Lambda never runs Python with -O',
  'dist-info-extras': 'dist-info extras (RECORD, WHEEL, INSTALLER…): install records, never read at run time',
  'tool-caches': 'tool caches (.pytest_cache, .mypy_cache…)',
  'os-metadata': 'OS metadata (__MACOSX, .DS_Store)',
};

const TEST_DIRS = new Set(['tests', 'test']);
const DOC_DIRS = new Set(['docs', 'doc']);
const EXAMPLE_DIRS = new Set(['examples', 'example', 'samples']);
const TOOL_CACHES = new Set(['.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nox', '.hypothesis']);
const DIST_INFO_EXTRAS = new Set(['RECORD', 'WHEEL', 'INSTALLER', 'REQUESTED', 'direct_url.json', 'SOURCES.txt']);
const CODE_FILE = /\.(py|pyc|so|pyd)$|\.so\.\d+/;

/** Why a file (its path relative to its import root) can be stripped, or null when it must stay. */
export function stripReason(rel: string, t: PythonTarget): StripReason | null {
  const parts = rel.split('/');
  const name = parts[parts.length - 1] as string;
  const dirs = parts.slice(0, -1);
  if (dirs.includes('__MACOSX') || name === '.DS_Store') return 'os-metadata';
  if (dirs.some((d) => TOOL_CACHES.has(d))) return 'tool-caches';
  if (dirs[dirs.length - 1] === '__pycache__' && name.endsWith('.pyc')) {
    const tag = pycCacheTag(name);
    if (tag?.opt) return 'optimized-bytecode';
    if (tag && tag.tag !== t.cacheTag) return 'other-python-bytecode';
    return null;
  }
  if (dirs.some((d) => TEST_DIRS.has(d)) || name === 'conftest.py') return 'tests';
  const inMetadata = dirs.some((d) => d.endsWith('.dist-info') || d.endsWith('.egg-info'));
  if (inMetadata) return DIST_INFO_EXTRAS.has(name) && dirs.length === 1 ? 'dist-info-extras' : null;
  // a docs/ or examples/ folder can be a real package (botocore.docs is imported by every client): its code stays
  const code = CODE_FILE.test(name);
  if ((!code && dirs.some((d) => DOC_DIRS.has(d))) || /\.(md|rst)$/i.test(name)) return 'docs';
  if (!code && dirs.some((d) => EXAMPLE_DIRS.has(d))) return 'examples';
  if (name.endsWith('.pyi')) return 'type-stubs';
  return null;
}

/** Every strippable file, largest first. */
export function strippableFiles(placed: readonly Placed[], t: PythonTarget): StripFile[] {
  const out: StripFile[] = [];
  for (const p of placed) {
    const reason = stripReason(p.rel, t);
    if (reason) out.push({ path: p.file.path, layer: p.layer, bytes: p.file.bytes, reason });
  }
  return sortRows(out);
}
