#!/usr/bin/env node
// Entry point: kept tiny so that `lambda-cold --version` starts about as fast as `node -e 0`.
import { readFileSync } from 'node:fs';

// A reader that goes away (`lambda-cold … | head`) is not an error: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`lambda-cold ${pkg.version}\n`);
} else {
  const { main } = await import('../dist/cli.js');
  await main(argv);
}
