// Loaded with `node --import`: records every module specifier under @aws-sdk that gets resolved, so a test
// can prove that a command (or --help) never loads the AWS SDK. The log file comes from TRACE_AWS_SDK_FILE.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (specifier.includes('@aws-sdk') && process.env.TRACE_AWS_SDK_FILE) appendFileSync(process.env.TRACE_AWS_SDK_FILE, specifier + '\\n');
  return next(specifier, context);
}`),
);
