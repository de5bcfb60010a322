// `profile --speedscope <file> --trace <file>` through the real CLI: the files are written besides the
// normal output (stdout keeps the document alone), from captures and from runs of a real Python, even when
// a gate fails; a path that cannot be written is one sentence and exit 2 before anything is measured.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, importtimeFixtures, NODE_STACK, repoRoot, runCli, testCacheDir } from '../support/cli.js';
import { allPythons } from '../support/python.js';

interface SpeedscopeFile {
  shared: { frames: Array<{ name: string; file?: string }> };
  profiles: Array<{ unit: string; endValue: number; events: Array<{ type: string; frame: number; at: number }> }>;
}
interface TraceFile {
  traceEvents: Array<{ name: string; ph: string; ts?: number; dur?: number; args?: Record<string, unknown> }>;
}

const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'speedscope', 'file-format-schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);
let dir: string;
let cache: string;
const env = (): NodeJS.ProcessEnv => ({ LAMBDA_COLD_CACHE_DIR: cache });
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const slices = (t: TraceFile): TraceFile['traceEvents'] => t.traceEvents.filter((e) => e.ph === 'X');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-cold-exports-'));
  cache = testCacheDir();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

describe('profile --from-file with --speedscope and --trace', () => {
  it('writes both files and keeps the JSON document alone on stdout', async () => {
    const speedscope = join(dir, 'boto3.speedscope.json');
    const trace = join(dir, 'boto3.trace.json');
    const capture = join(importtimeFixtures, 'py311-boto3.txt');
    const r = await runCli(['profile', '--from-file', capture, '--speedscope', speedscope, '--trace', trace, '--json'], { env: env() });
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { kind: string; summary: { moduleCount: number; importUs: { median: number } } };
    expect(doc.kind).toBe('profile');
    expect(r.stderr).toContain(`Wrote ${speedscope}`);
    expect(r.stderr).toContain(`Wrote ${trace}`);
    const s = readJson<SpeedscopeFile>(speedscope);
    expect(validate(s), JSON.stringify(validate.errors)).toBe(true);
    expect(s.profiles[0]!.unit).toBe('microseconds');
    expect(s.profiles[0]!.endValue).toBe(doc.summary.importUs.median);
    expect(s.profiles[0]!.events.filter((e) => e.type === 'O')).toHaveLength(doc.summary.moduleCount);
    const t = readJson<TraceFile>(trace);
    expect(slices(t)).toHaveLength(doc.summary.moduleCount);
    expect(slices(t).map((e) => e.name)).toContain('boto3');
  });

  it('--format trace puts the trace itself on stdout', async () => {
    const r = await runCli(['profile', '--from-file', join(importtimeFixtures, 'py312-email-http.txt'), '--format', 'trace'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(slices(JSON.parse(r.stdout) as TraceFile).map((e) => e.name)).toContain('email.message');
  });

  it('writes the files when a gate fails (exit 1)', async () => {
    const trace = join(dir, 'gated.trace.json');
    const r = await runCli(['profile', '--from-file', join(importtimeFixtures, 'py312-email-http.txt'), '--max-modules', '1', '--trace', trace], { env: env() });
    expect(r.code, r.stderr).toBe(1);
    expect(slices(readJson<TraceFile>(trace)).length).toBeGreaterThan(1);
  });

  it.each([
    ['a missing folder', (d: string) => ['--speedscope', join(d, 'no-such-folder', 'x.json')], /^lambda-cold: --speedscope .*: the folder .* does not exist\.$/m],
    ['a folder as the file', (d: string) => ['--trace', d], /^lambda-cold: --trace .* is a folder: give the path of the file to write\.$/m],
  ])('%s: one sentence, exit 2, nothing written', async (_what, args, message) => {
    const r = await runCli(['profile', '--from-file', join(importtimeFixtures, 'py312-email-http.txt'), ...args(dir), '--json'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.stdout).toBe('');
  });

  it('refuses --sam: a template has several import trees', async () => {
    const r = await runCli(['profile', '--sam', join(fixtures, 'sam', 'template.yaml'), '--trace', join(dir, 'sam.json')], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--speedscope, --trace and --html export one import tree/);
    expect(existsSync(join(dir, 'sam.json'))).toBe(false);
  });
});

describe('profile of a real handler with --speedscope and --trace', () => {
  const python = allPythons().find((p) => p.minor >= 8);
  it('lays the median tree out in µs, the slow package longest, each frame with its file', async (ctx) => {
    if (!python) {
      console.warn('SKIPPED: no Python 3.8+ found (pyenv root, PYENV_ROOT or python3.X on PATH): the exports of a run are untested.');
      ctx.skip();
      return;
    }
    const speedscope = join(dir, 'ranked.speedscope.json');
    const trace = join(dir, 'ranked.trace.json');
    const handler = join(fixtures, 'ranked', 'handler.py');
    const r = await runCli(['profile', handler, '--python', python.executable, '--runs', '2', '--speedscope', speedscope, '--trace', trace], { env: env() });
    expect(r.stderr).not.toMatch(NODE_STACK);
    expect(r.code, r.stderr).toBe(0);
    const s = readJson<SpeedscopeFile>(speedscope);
    expect(validate(s), JSON.stringify(validate.errors)).toBe(true);
    expect(s.shared.frames.find((f) => f.name === 'heavypkg.core')?.file).toBe(join(fixtures, 'ranked', 'heavypkg', 'core.py'));
    const t = readJson<TraceFile>(trace);
    const dur = (name: string): number => slices(t).find((e) => e.name === name)?.dur ?? Number.NaN;
    expect(dur('heavypkg')).toBeGreaterThan(dur('mid'));
    expect(dur('mid')).toBeGreaterThan(dur('light'));
    const heavy = slices(t).find((e) => e.name === 'heavypkg')!;
    const core = slices(t).find((e) => e.name === 'heavypkg.core')!;
    expect(core.ts!).toBeGreaterThanOrEqual(heavy.ts!);
    expect(core.ts! + core.dur!).toBeLessThanOrEqual(heavy.ts! + heavy.dur!);
  });
});
