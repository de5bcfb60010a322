// The layer rules of .dependency-cruiser.cjs (run on src/ by `npm test`) really fail a forbidden import, and
// no source file outgrows ~400 lines. The rules are exercised on a small throw-away tree, so a rule that
// silently matches nothing cannot pass here.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

const depcruise = join(repoRoot, 'node_modules', '.bin', 'depcruise');
const config = join(repoRoot, '.dependency-cruiser.cjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cruise(files: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-cold-layers-'));
  dirs.push(dir);
  copyFileSync(join(repoRoot, 'tsconfig.json'), join(dir, 'tsconfig.json'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const r = spawnSync(depcruise, ['--config', config, 'src'], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('layer rules', () => {
  it('accepts imports that go down the layers', () => {
    const r = cruise({
      'src/util/errors.ts': 'export const E = 2;\n',
      'src/python/runner.ts': "import { E } from '../util/errors.js';\nexport const run = E;\n",
      'src/importtime/session.ts': "import { run } from '../python/runner.js';\nexport const s = run;\n",
      'src/render/report.ts': "import { s } from '../importtime/session.js';\nexport const r = s;\n",
      'src/commands/profile.ts': "import { r } from '../render/report.js';\nexport const c = r;\n",
    });
    expect(r.out).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it('fails an import up the layers, type-only included', () => {
    const r = cruise({
      'src/profile/options.ts': 'export interface ProfileOptions { runs: number }\n',
      'src/render/report.ts': "import type { ProfileOptions } from '../profile/options.js';\nexport const f = (o: ProfileOptions) => o.runs;\n",
      'src/python/runner.ts': "import { x } from '../importtime/parse.js';\nexport const y = x;\n",
      'src/importtime/parse.ts': 'export const x = 1;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('render-not-upward: src/render/report.ts → src/profile/options.ts');
    expect(r.out).toContain('acquire-not-upward: src/python/runner.ts → src/importtime/parse.ts');
  });

  it('fails a module cycle and a folder cycle within one layer', () => {
    const r = cruise({
      'src/gate/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/gate/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      'src/analysis/x.ts': "import { p } from '../package/p.js';\nexport const x = p;\n",
      'src/package/p.ts': "import { y } from '../analysis/y.js';\nexport const p = y;\n",
      'src/analysis/y.ts': 'export const y = 1;\n',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('no-circular: src/gate/a.ts');
    expect(r.out).toMatch(/no-folder-cycle: src\/(analysis|package)/);
  });

  it('fails a file in a folder no layer names', () => {
    const r = cruise({
      'src/util/errors.ts': 'export const E = 2;\n',
      'src/extras/thing.ts': "import { E } from '../util/errors.js';\nexport const t = E;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('every-file-placed: src/extras/thing.ts');
  });
});

describe('file size', () => {
  it('keeps every source file at 400 lines or fewer', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
    const src = join(repoRoot, 'src');
    const long = walk(src)
      .filter((f) => /\.(ts|py)$/.test(f))
      .map((f) => ({ file: relative(repoRoot, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
