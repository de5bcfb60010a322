// A profile JSON written by `lambda-cold profile --json`, read back for `package --profile-json`:
// only what the package analysis needs, validated so that a wrong file is one clear sentence.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { array, literal, object, optional, string } from 'zod/mini';
import { UserError } from '../util/errors.js';

const ProfileDoc = object({
  schemaVersion: literal(1),
  kind: literal('profile'),
  modules: array(object({ name: string(), phase: optional(string()) })),
});

export interface ProfileModules {
  /** Modules imported by the handler's import (init): what never-imported is judged against. */
  init: string[];
  /** Every module the handler imported (init and, with --invoke profiles, its first call): the .pyc check. */
  all: string[];
}

export function readProfileJson(path: string): ProfileModules {
  if (!existsSync(path)) throw new UserError(`The profile ${path} does not exist.`);
  if (!statSync(path).isFile()) throw new UserError(`The profile ${path} is not a file.`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`The profile ${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}): write it with lambda-cold profile --json > profile.json.`);
  }
  const r = ProfileDoc.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new UserError(
      `The profile ${path} is not a lambda-cold profile document (${issue?.message ?? 'invalid'}${where}): write it with lambda-cold profile --json > profile.json.`,
    );
  }
  const modules = r.data.modules.filter((m) => m.phase !== 'startup');
  return {
    init: modules.filter((m) => m.phase === undefined || m.phase === 'init').map((m) => m.name),
    all: modules.map((m) => m.name),
  };
}
