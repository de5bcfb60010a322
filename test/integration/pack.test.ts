// The published package works on its own: `npm pack`, then install the tarball the ways README's install
// section shows — into an empty global prefix, into a project, through `npx --package` — with no registry
// access, and run it from there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../support/cli.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = ['--offline', '--no-audit', '--no-fund'];
const version = /^lambda-cold \d+\.\d+\.\d+$/;

/** npm with a private cache and user config, so that no setting of this machine's changes what it does. */
function runNpm(args: string[], cwd: string, home: string) {
  const r = spawnSync(npm, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, npm_config_userconfig: join(home, '.npmrc'), npm_config_update_notifier: 'false', NO_COLOR: '1' },
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r;
}

/** npm's warnings, less the ones about this machine's npm configuration (set by whoever runs the tests). */
const warnings = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => /^npm (warn|WARN)/.test(l) && !/ (config|Unknown (env|user|project|builtin) config)\b/i.test(l));

describe('npm pack → install → run', () => {
  let work: string;
  let tgz: string;
  let home: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'lambda-cold-pack-'));
    home = join(work, 'home');
    mkdirSync(home);
    execFileSync(npm, ['pack', '--pack-destination', work, '--silent'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const name = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!name) throw new Error('npm pack made no tarball');
    tgz = join(work, name);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds the built code, the harness, the licences and the documentation, and no sources or tests', () => {
    const listing = execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' });
    expect(listing).toContain('package/bin/lambda-cold.js');
    expect(listing).toContain('package/dist/cli.js');
    expect(listing).toContain('package/dist/python/harness.py');
    expect(listing).toContain('package/dist/THIRD-PARTY-LICENSES.txt');
    expect(listing).toContain('package/README.md');
    expect(listing).toMatch(/^package\/docs\/[\w-]+\.md$/m);
    expect(listing).not.toContain('package/src/');
    expect(listing).not.toContain('package/test/');
    expect(listing).not.toContain('package/scripts/');
  });

  it('installs into an empty prefix with no warning and no script to approve, and `lambda-cold profile` runs from there', () => {
    const prefix = join(work, 'prefix');
    mkdirSync(prefix);
    const install = runNpm(['install', '--global', '--prefix', prefix, ...quiet, tgz], work, home);
    expect(warnings(install.stderr)).toEqual([]);
    const bin = join(prefix, 'bin', 'lambda-cold');
    const out = execFileSync(bin, ['profile', join(fixtures, 'ranked', 'handler.py'), '--runs', '1', '--json'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, LAMBDA_COLD_CACHE_DIR: join(work, 'cache') },
    });
    const doc = JSON.parse(out) as { kind: string; modules: Array<{ name: string }> };
    expect(doc.kind).toBe('profile');
    expect(doc.modules.map((m) => m.name)).toContain('heavypkg.core');
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toMatch(version);
    // --help says where the documentation is, and it is there
    const help = execFileSync(bin, ['--help'], { encoding: 'utf8' });
    const readme = /Documentation: (\S+README\.md)/.exec(help)?.[1];
    expect(readme).toBe(join(prefix, 'lib', 'node_modules', 'lambda-cold', 'README.md'));
    expect(existsSync(readme as string)).toBe(true);
    expect(readdirSync(join(readme as string, '..', 'docs')).some((f) => f.endsWith('.md'))).toBe(true);
  }, 120_000);

  it('installs into a project with no warning, and runs through `npx --package <tarball>` without installing', () => {
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    const install = runNpm(['install', ...quiet, tgz], app, home);
    expect(warnings(install.stderr)).toEqual([]);
    expect(execFileSync(join(app, 'node_modules', '.bin', 'lambda-cold'), ['--version'], { encoding: 'utf8' }).trim()).toMatch(version);

    const elsewhere = join(work, 'elsewhere');
    mkdirSync(elsewhere);
    const npx = runNpm(['exec', ...quiet, '--yes', '--package', tgz, '--', 'lambda-cold', '--version'], elsewhere, home);
    expect(npx.stdout.trim()).toMatch(version);
    expect(warnings(npx.stderr)).toEqual([]);
  }, 120_000);
});
