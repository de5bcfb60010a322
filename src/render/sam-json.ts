// `profile --sam --json`: one document holding each function's profile document.
import type { SamInput } from './inputs.js';
import { profileDocument } from './profile-json.js';
import type { Renderer } from './renderer.js';

export const renderer: Renderer<SamInput> = {
  render({ template, functions, skipped }, sink) {
    // each function's fields as the pipeline gave them, its profile as the profile document
    const docs = functions.map((fn) => ({ ...fn, profile: profileDocument(fn.profile) }));
    sink.write(`${JSON.stringify({ schemaVersion: 1, kind: 'profile-sam', template, functions: docs, skipped }, null, 2)}\n`);
  },
};
