// `lambda-cold package` on which copy the runtime imports, whose code it is and what the runtime provides:
// the tool's answer checked against a real interpreter on python-fixtures/package/shadowing (layers merged
// into one /opt as Lambda extracts them), and on a task root built from the real boto3, botocore and their
// dependencies as `pip install -t` leaves them, with a layer holding a second copy of jmespath.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, NODE_STACK, runCli, testCacheDir } from '../support/cli.js';
import { requirePython } from '../support/python.js';
import { installInto, missingDistributions } from '../support/taskroot.js';

interface Copy {
  layer: number | null;
  path: string;
  root: string;
}
interface Doc {
  packages: Array<{ name: string; kind: string; layer: number | null; path: string; importable: boolean; bytes: number; owner: { kind: string; distribution?: string; version?: string | null } }>;
  shadowed: Array<{ name: string; used: Copy; shadowed: Copy; bytes: number; files: number; mixedFiles: number }>;
  runtimeProvided: Array<{ name: string; distribution: string; version: string | null; layer: number | null; path: string; bytes: number }>;
  runtimeImportsShipped: Array<{ runtime: string; imports: string }>;
  warnings: string[];
}

const py = requirePython(11, 'the package tests on real installed distributions');
let cache: string;
let work: string;
beforeAll(() => {
  cache = testCacheDir();
  work = mkdtempSync(join(tmpdir(), 'lambda-cold-package-copies-'));
});
afterAll(() => {
  rmSync(cache, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ doc: Doc; text: string }> {
  const env = { LAMBDA_COLD_CACHE_DIR: cache };
  const j = await runCli(['package', ...args, '--json'], { env });
  expect(j.stderr).not.toMatch(NODE_STACK);
  expect(j.code, j.stderr).toBe(0);
  const t = await runCli(['package', ...args], { env });
  expect(t.code, t.stderr).toBe(0);
  return { doc: JSON.parse(j.stdout) as Doc, text: t.stdout };
}

/** Where a real interpreter finds each module with Lambda's sys.path: the task root, then /opt's two folders. */
function realOrigins(taskRoot: string, opt: string, minor: string, names: string[]): Record<string, string[]> {
  const script = [
    'import importlib, json, sys',
    `sys.path[:0] = [${JSON.stringify(taskRoot)}, ${JSON.stringify(join(opt, 'python', 'lib', `python${minor}`, 'site-packages'))}, ${JSON.stringify(join(opt, 'python'))}]`,
    'out = {}',
    `for n in ${JSON.stringify(names)}:`,
    '    m = importlib.import_module(n)',
    '    out[n] = [m.__file__] if getattr(m, "__file__", None) else sorted(m.__path__)',
    'print(json.dumps(out))',
  ].join('\n');
  // -S -I: no site-packages, no .pth files, no environment: only what sys.path is given; -B: no __pycache__ written into the fixture
  return JSON.parse(execFileSync(py.executable, ['-S', '-I', '-B', '-c', script], { encoding: 'utf8' })) as Record<string, string[]>;
}

describe('package: the copy reported as imported is the one a real interpreter imports (python-fixtures/package/shadowing)', () => {
  const base = join(fixtures, 'package', 'shadowing');
  it('task root first, then site-packages, then /opt/python; a later layer extracted over an earlier one', async () => {
    // Lambda extracts the layers into /opt in order: layer b's files replace layer a's
    const opt = join(work, 'opt');
    cpSync(join(base, 'layer-a'), opt, { recursive: true });
    cpSync(join(base, 'layer-b'), opt, { recursive: true });
    const { doc } = await run([join(base, 'fn'), '--layer', join(base, 'layer-a'), '--layer', join(base, 'layer-b'), '--runtime', 'python3.12']);
    const real = realOrigins(join(base, 'fn'), opt, '3.12', ['shared', 'lonely', 'common', 'common.a', 'nsp']);
    const local = (c: Copy): string => (c.root === '/var/task' ? join(base, 'fn') : join(opt, c.root.slice('/opt/'.length)));
    for (const s of doc.shadowed) {
      const used = s.used.path.endsWith('/') ? join(local(s.used), s.name, '__init__.py') : join(local(s.used), s.name + '.py');
      expect(real[s.name], s.name).toEqual([used]);
    }
    expect(doc.shadowed.map((s) => s.name).sort()).toEqual(['common', 'lonely', 'shared']);
    // the file layer a left in layer b's common/ is still imported: the mixed file reported
    expect(doc.shadowed.find((s) => s.name === 'common')?.mixedFiles).toBe(1);
    expect(real['common.a']).toEqual([join(opt, 'python/lib/python3.12/site-packages/common/a.py')]);
    // a namespace package made of both folders: nothing shadowed
    expect(real.nsp).toEqual([join(base, 'fn', 'nsp'), join(opt, 'python', 'nsp')].sort());
  });
});

// What the Lambda Python runtimes provide besides the standard library: boto3 and its dependencies.
const DISTRIBUTIONS = ['boto3', 'botocore', 's3transfer', 'urllib3', 'python-dateutil', 'jmespath', 'six'];
const IMPORT_NAME: Record<string, string> = { 'python-dateutil': 'dateutil' };
const missing = missingDistributions(py.executable, DISTRIBUTIONS);
if (missing.length > 0) {
  console.warn(`SKIPPED: the real-package package tests need ${missing.join(', ')} installed for ${py.executable} (pip install ${missing.join(' ')}).`);
}

describe.skipIf(missing.length > 0)('package: a task root with the real boto3 and its dependencies, a layer with a second jmespath', () => {
  let taskRoot: string;
  let layer: string;
  let doc: Doc;
  let text: string;
  let versions: Record<string, string>;
  beforeAll(async () => {
    taskRoot = join(work, 'task');
    layer = join(work, 'layer');
    installInto(py.executable, DISTRIBUTIONS, taskRoot);
    writeFileSync(join(taskRoot, 'handler.py'), 'import boto3\n\ns3 = boto3.client("s3", region_name="us-east-1")\n\n\ndef handler(event, context):\n    return s3.meta.region_name\n');
    installInto(py.executable, ['jmespath'], join(layer, 'python'));
    versions = JSON.parse(
      execFileSync(py.executable, ['-c', `import json, importlib.metadata as m; print(json.dumps({d: m.version(d) for d in ${JSON.stringify(DISTRIBUTIONS)}}))`], { encoding: 'utf8' }),
    ) as Record<string, string>;
    ({ doc, text } = await run([taskRoot, '--layer', layer, '--runtime', 'python3.11']));
  }, 120_000);

  it('attributes every top-level entry of the task root to its distribution; only the handler is the user\'s', () => {
    const fn = doc.packages.filter((p) => p.layer === null && p.importable && ['package', 'module', 'extension'].includes(p.kind));
    for (const d of DISTRIBUTIONS) {
      const name = IMPORT_NAME[d] ?? d;
      expect(fn.find((p) => p.name === name)?.owner, name).toEqual({ kind: 'third-party', distribution: expect.stringMatching(new RegExp(`^${d}$`, 'i')), version: versions[d] });
    }
    expect(fn.filter((p) => p.owner.kind === 'user').map((p) => p.name)).toEqual(['handler']);
    expect(doc.packages.find((p) => p.layer === 0 && p.name === 'jmespath')?.owner).toMatchObject({ kind: 'third-party', version: versions.jmespath });
    expect(text).toContain('Third-party code: 7 distributions in 8 copies');
  });

  it("reports the layer's jmespath as shadowed by the task root's, with its whole size", () => {
    const layerCopy = doc.packages.find((p) => p.layer === 0 && p.name === 'jmespath');
    expect(doc.shadowed).toEqual([
      {
        name: 'jmespath',
        used: { layer: null, path: 'jmespath/', root: '/var/task' },
        shadowed: { layer: 0, path: 'python/jmespath/', root: '/opt/python' },
        bytes: layerCopy?.bytes,
        files: expect.any(Number),
        mixedFiles: 0,
      },
    ]);
    expect(text).toMatch(/Shadowed copies: 1 copy, .* never imported/);
  });

  it('says the runtime provides all seven, with the shipped version and size, and that shipping them pins the version', () => {
    expect(doc.runtimeProvided.map((r) => [r.name, r.version, r.layer])).toEqual(
      ['boto3', 'botocore', 's3transfer', 'jmespath', 'python-dateutil', 'urllib3', 'six'].map((d) => [IMPORT_NAME[d] ?? d, versions[d], null]),
    );
    for (const r of doc.runtimeProvided) expect(r.bytes).toBe(doc.packages.find((p) => p.layer === null && p.name === r.name)?.bytes);
    expect(doc.runtimeImportsShipped).toEqual([]);
    expect(text).toContain('Also provided by the python3.11 runtime: boto3, botocore, s3transfer, jmespath, dateutil, urllib3, six');
    expect(text).toContain('the shipped copies win');
    expect(text).toContain('Shipping them pins their versions, a sound reason to keep them');
    expect(doc.warnings.join('\n')).not.toMatch(/error/i);
  });
});
