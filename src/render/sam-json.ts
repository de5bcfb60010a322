// `profile --sam --json`: one document holding each function's profile document.
import type { SamInput } from './inputs.js';
import { profileDocument } from './profile-json.js';
import type { Renderer } from './renderer.js';

export const renderer: Renderer<SamInput> = {
  render({ template, functions, skipped }, sink) {
    const docs = functions.map((fn) => ({
      logicalId: fn.logicalId,
      runtime: fn.runtime,
      handler: fn.handler,
      root: fn.root,
      layers: fn.layers,
      skippedLayers: fn.skippedLayers,
      profile: profileDocument(fn.profile),
    }));
    sink.write(`${JSON.stringify({ schemaVersion: 1, kind: 'profile-sam', template, functions: docs, skipped }, null, 2)}\n`);
  },
};
