// Configuration: pyproject.toml [tool.lambda-cold] and lambda-cold.config.json, validation, precedence.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configAsOptions, loadConfig, mergeOptions } from '../../src/gate/config.js';
import { isUserError } from '../../src/util/errors.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-cold-config-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function project(files: Record<string, string>): string {
  const dir = join(root, String(++n));
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const PYPROJECT = `[project]
name = "orders"

[tool.lambda-cold]
target = "src/handler.py"
root = "src"
layers = ["layers/deps"]
runs = 15
budget = 300
forbid = ["pandas", "numpy*"]
max-modules = 400
baseline = ".lambda-cold/baseline.json"

[tool.lambda-cold.budget-package]
boto3 = 150
"pydantic" = 80.5
`;

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(isUserError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('reads [tool.lambda-cold] from pyproject.toml, paths relative to its folder', async () => {
    const dir = project({ 'pyproject.toml': PYPROJECT });
    const loaded = await loadConfig(undefined, dir);
    expect(loaded?.file).toBe(join(dir, 'pyproject.toml'));
    const { target, options } = configAsOptions(loaded!);
    expect(target).toBe('src/handler.py'); // does not exist: kept as written
    expect(options).toEqual({
      root: join(dir, 'src'),
      layer: [join(dir, 'layers', 'deps')],
      runs: '15',
      budget: '300',
      budgetPackage: ['boto3=150', 'pydantic=80.5'],
      forbid: ['pandas', 'numpy*'],
      maxModules: '400',
      baseline: join(dir, '.lambda-cold', 'baseline.json'),
    });
  });

  it('ignores a pyproject.toml without the table, and finds nothing in an empty folder', async () => {
    expect(await loadConfig(undefined, project({ 'pyproject.toml': '[project]\nname = "x"\n' }))).toBeNull();
    expect(await loadConfig(undefined, project({}))).toBeNull();
  });

  it('prefers lambda-cold.config.json over pyproject.toml and says which file it ignored', async () => {
    const dir = project({ 'pyproject.toml': PYPROJECT, 'lambda-cold.config.json': JSON.stringify({ runs: 7, forbid: ['boto3'] }) });
    const loaded = await loadConfig(undefined, dir);
    expect(loaded?.file).toBe(join(dir, 'lambda-cold.config.json'));
    expect(loaded?.ignored).toEqual([join(dir, 'pyproject.toml')]);
    expect(configAsOptions(loaded!).options).toEqual({ runs: '7', forbid: ['boto3'] });
  });

  it('reads the file given with --config, TOML or JSON', async () => {
    const dir = project({ 'ci.toml': '[tool.lambda-cold]\nbudget = 99\n', 'ci.json': '{"max-modules": 3}' });
    expect(configAsOptions((await loadConfig(join(dir, 'ci.toml')))!).options).toEqual({ budget: '99' });
    expect(configAsOptions((await loadConfig(join(dir, 'ci.json')))!).options).toEqual({ maxModules: '3' });
    expect(await errorOf(loadConfig(join(dir, 'missing.json')))).toMatch(/^The configuration file .*missing\.json does not exist\.$/);
    const empty = project({ 'x.toml': '[tool.other]\na = 1\n' });
    expect(await errorOf(loadConfig(join(empty, 'x.toml')))).toMatch(/has no \[tool\.lambda-cold\] table\.$/);
  });

  it('refuses unknown keys, wrong types and broken files with one sentence naming the key', async () => {
    const unknown = project({ 'pyproject.toml': '[tool.lambda-cold]\nbudgett = 3\n' });
    expect(await errorOf(loadConfig(undefined, unknown))).toMatch(/^Invalid configuration in .*pyproject\.toml \[tool\.lambda-cold\]: budgett: not a lambda-cold setting/);
    const wrongType = project({ 'lambda-cold.config.json': '{"runs": true}' });
    expect(await errorOf(loadConfig(undefined, wrongType))).toMatch(/^Invalid configuration in .*lambda-cold\.config\.json: runs: expected a number\.$/);
    const negative = project({ 'lambda-cold.config.json': '{"budget-package": {"boto3": -1}}' });
    expect(await errorOf(loadConfig(undefined, negative))).toMatch(/budget-package\.boto3: must be greater than 0\.$/);
  });

  it("a file that does not parse: the parser's line and column, and the offending line", async () => {
    const badToml = project({ 'pyproject.toml': '[project]\nname = "x"\n[tool.lambda-cold\nruns = 3\n' });
    const toml = await detailOf(loadConfig(undefined, badToml));
    expect(toml.message).toMatch(/pyproject\.toml is not valid TOML: .* at line 3, column \d+\.$/);
    expect(toml.detail?.split('\n')[0]).toBe('3 | [tool.lambda-cold');
    expect(toml.detail?.split('\n')[1]).toMatch(/^ {2}\| +\^$/);
    const badJson = project({ 'lambda-cold.config.json': '{\n  "runs": 3\n  "budget": 300\n}\n' });
    const json = await detailOf(loadConfig(undefined, badJson));
    expect(json.message).toMatch(/lambda-cold\.config\.json is not valid JSON: .* at line 3, column 3\.$/);
    expect(json.detail).toBe('3 |   "budget": 300\n  |   ^');
    // the end of the file: the line before the empty one shows where it stopped
    const truncated = project({ 'lambda-cold.config.json': '{\n  "runs": 3,\n' });
    expect((await detailOf(loadConfig(undefined, truncated))).detail).toMatch(/^2 \|   "runs": 3,\n3 \| \n/);
  });
});

async function detailOf(p: Promise<unknown>): Promise<{ message: string; detail?: string }> {
  try {
    await p;
  } catch (e) {
    return { message: (e as Error).message, detail: (e as { detail?: string }).detail };
  }
  throw new Error('expected an error');
}

describe('mergeOptions', () => {
  it('flags given on the command line win, the file fills in the rest, defaults come last', () => {
    const cli = { runs: '10', forbid: ['boto3'], budget: undefined, top: '15' };
    const merged = mergeOptions(cli, new Set(['forbid']), { runs: '15', forbid: ['pandas'], budget: '300' });
    expect(merged).toEqual({ runs: '15', forbid: ['boto3'], budget: '300', top: '15' });
  });
});
