import { it } from 'vitest';
import { LambdaEmulator, findPython } from '../support/lambda-emulator.js';
import { cliEnv, ensureBuilt, runCli, tempDir, FIXTURES } from '../support/harness.js';
it('smoke', async () => {
  ensureBuilt();
  const em = new LambdaEmulator({ python: await findPython(), ingestionLagMs: 300 });
  const url = await em.start();
  em.addFunction({ name: 'hello', codeDir: FIXTURES, handler: 'hello.handler', environment: { A: '1' } });
  const args = (process.env.SMOKE_ARGS ?? '').split(' ').filter(Boolean);
  const r = await runCli(['invoke', 'hello', '--endpoint-url', url, ...args], cliEnv(tempDir('lc-')));
  console.log(r.code, r.stdout, r.stderr);
  console.log(em.stats, JSON.stringify(em.configuration('hello').Environment));
  console.log(em.streams('/aws/lambda/hello').map((s) => s.name + '\n' + s.events.join('\n')).join('\n\n').slice(0, 3000));
  await em.stop();
});
