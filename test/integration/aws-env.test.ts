// The AWS environment variables users bring from the AWS CLI: AWS_DEFAULT_REGION (read after AWS_REGION),
// and a named profile that does not exist (AWS_PROFILE or --profile), named in the error.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/cli.js';
import { cliEnv, ensureBuilt, FIXTURES, ROOT, tempDir } from '../support/harness.js';
import { findPython, LambdaEmulator } from '../support/lambda-emulator.js';

let em: LambdaEmulator;
let home: string;
const runCli = (args: string[], env: NodeJS.ProcessEnv) => run(args, { env, replaceEnv: true, cwd: ROOT });

beforeAll(async () => {
  ensureBuilt();
  home = tempDir('lc-aws-env-');
  em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 200, updateDelayMs: 150 });
  await em.start();
  em.addFunction({ name: 'api', codeDir: FIXTURES, handler: 'hello.handler' });
});

afterAll(async () => {
  await em?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('AWS settings from the environment', () => {
  it('AWS_DEFAULT_REGION is used when AWS_REGION is not set, and AWS_REGION wins over it', async () => {
    const only = await runCli(['invoke', 'nope', '--endpoint-url', em.url], cliEnv(home, { AWS_REGION: undefined, AWS_DEFAULT_REGION: 'eu-west-3' }));
    expect(only.code).toBe(2);
    expect(only.stderr).toBe('lambda-cold: Function nope was not found in eu-west-3: check the name, the qualifier and the region.\n');
    const both = await runCli(['invoke', 'nope', '--endpoint-url', em.url], cliEnv(home, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-3' }));
    expect(both.stderr).toContain('was not found in ap-south-1');
    const flag = await runCli(['invoke', 'nope', '--endpoint-url', em.url, '--region', 'sa-east-1'], cliEnv(home, { AWS_DEFAULT_REGION: 'eu-west-3' }));
    expect(flag.stderr).toContain('was not found in sa-east-1');
    const ok = await runCli(['invoke', 'api', '--count', '1', '--no-logs', '--endpoint-url', em.url], cliEnv(home, { AWS_REGION: undefined, AWS_DEFAULT_REGION: 'eu-west-3' }));
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('AWS_PROFILE or --profile naming a profile in neither shared file: one sentence naming it', async () => {
    const fromEnv = await runCli(['invoke', 'api', '--endpoint-url', em.url], cliEnv(home, { AWS_PROFILE: 'unknown' }));
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(/^lambda-cold: No usable credentials for the profile unknown \(from AWS_PROFILE\): it is in neither .*no-aws-config nor .*no-aws-credentials; check its name/);
    const fromFlag = await runCli(['restore', 'api', '--profile', 'typo', '--endpoint-url', em.url], cliEnv(home));
    expect(fromFlag.stderr).toMatch(/^lambda-cold: No usable credentials for the profile typo \(from --profile\): it is in neither/);
    // a profile that exists is used
    const config = join(home, 'aws-config');
    writeFileSync(config, '[profile staging]\nregion = eu-north-1\n');
    const known = await runCli(['invoke', 'nope', '--endpoint-url', em.url], cliEnv(home, { AWS_PROFILE: 'staging', AWS_REGION: undefined, AWS_CONFIG_FILE: config }));
    expect(known.stderr).not.toContain('it is in neither');
  });
});
