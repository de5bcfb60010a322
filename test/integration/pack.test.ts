// The published package works on its own: `npm pack`, install the tarball into an empty folder, run it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../support/cli.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack → install → run', () => {
  let work: string;
  let app: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'lambda-cold-pack-'));
    execFileSync(npm, ['pack', '--pack-destination', work, '--silent'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack made no tarball');
    app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    // everything is bundled: the tarball installs with no registry access
    execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(work, tgz)], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds the built code, the harness and the licences, and no sources or tests', () => {
    const listing = execFileSync('tar', ['tzf', join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) as string)], { encoding: 'utf8' });
    expect(listing).toContain('package/bin/lambda-cold.js');
    expect(listing).toContain('package/dist/cli.js');
    expect(listing).toContain('package/dist/python/harness.py');
    expect(listing).toContain('package/dist/THIRD-PARTY-LICENSES.txt');
    expect(listing).not.toContain('package/src/');
    expect(listing).not.toContain('package/test/');
  });

  it('runs `lambda-cold profile` from the installed package', () => {
    const bin = join(app, 'node_modules', '.bin', 'lambda-cold');
    const out = execFileSync(bin, ['profile', join(fixtures, 'ranked', 'handler.py'), '--runs', '1', '--json'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, LAMBDA_COLD_CACHE_DIR: join(work, 'cache') },
    });
    const doc = JSON.parse(out) as { kind: string; modules: Array<{ name: string }> };
    expect(doc.kind).toBe('profile');
    expect(doc.modules.map((m) => m.name)).toContain('heavypkg.core');
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^lambda-cold \d+\.\d+\.\d+$/);
  });
});
