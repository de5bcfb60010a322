// Loaded with `node --import`: records the URL of every module the process loads into the file named by
// TRACE_MODULES_FILE, so a test can check (by content: the build bundles the SDK into chunks) that a
// command or --help never loads the AWS SDK.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.TRACE_MODULES_FILE && result.url.startsWith('file:')) appendFileSync(process.env.TRACE_MODULES_FILE, result.url + '\\n');
  return result;
}`),
);
