// SAM templates: the Python functions they declare, with what `profile` needs to import each the way
// Lambda will — CodeUri (the task root), Handler (module.function), Runtime, and local Layers (ContentUri).
// Parsed with the `yaml` library, taught CloudFormation's short tags (!Ref, !Sub, !GetAtt…).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';
import { UserError } from '../util/errors.js';

export interface SamFunction {
  logicalId: string;
  runtime: string;
  handler: string;
  /** Dotted module of the handler. */
  module: string;
  /** The handler function's name. */
  function: string;
  /** The task root (CodeUri, resolved against the template's folder). */
  root: string;
  /** Local layer folders (ContentUri of AWS::Serverless::LayerVersion resources), in the function's order. */
  layers: string[];
  /** Layers that cannot be used locally (ARNs, S3 locations), with why. */
  skippedLayers: string[];
  /** MemorySize (the function's, else Globals'; 128, SAM's default, when neither says); null when not a number here. */
  memorySizeMB: number | null;
}

export interface SamSkipped {
  logicalId: string;
  reason: string;
}

const INTRINSICS: Array<[string, string]> = [
  ['!Ref', 'Ref'],
  ['!Sub', 'Fn::Sub'],
  ['!GetAtt', 'Fn::GetAtt'],
  ['!Join', 'Fn::Join'],
  ['!Select', 'Fn::Select'],
  ['!Split', 'Fn::Split'],
  ['!If', 'Fn::If'],
  ['!Equals', 'Fn::Equals'],
  ['!Not', 'Fn::Not'],
  ['!And', 'Fn::And'],
  ['!Or', 'Fn::Or'],
  ['!FindInMap', 'Fn::FindInMap'],
  ['!ImportValue', 'Fn::ImportValue'],
  ['!Base64', 'Fn::Base64'],
  ['!Cidr', 'Fn::Cidr'],
  ['!GetAZs', 'Fn::GetAZs'],
  ['!Transform', 'Fn::Transform'],
  ['!Condition', 'Condition'],
];

/** Each short tag, on a scalar, a sequence or a mapping, becomes its long form: `!Ref X` → `{ Ref: X }`. */
function cfnTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  for (const [tag, key] of INTRINSICS) {
    const wrap = (value: unknown): unknown =>
      key === 'Fn::GetAtt' && typeof value === 'string' ? { [key]: value.split('.') } : { [key]: value };
    tags.push({ tag, resolve: (str: string) => wrap(str) } as ScalarTag);
    tags.push({ tag, collection: 'seq', resolve: (seq: { toJSON(): unknown }) => wrap(seq.toJSON()) } as unknown as CollectionTag);
    tags.push({ tag, collection: 'map', resolve: (map: { toJSON(): unknown }) => wrap(map.toJSON()) } as unknown as CollectionTag);
  }
  return tags;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** MemorySize as a number: a literal, or a !Ref to a parameter's Default; 128 (SAM's default) when absent. */
function memorySize(value: unknown, parameters: unknown): number | null {
  if (value === undefined) return 128;
  const ref = isObj(value) && typeof value.Ref === 'string' ? value.Ref : undefined;
  const param = ref && isObj(parameters) ? parameters[ref] : undefined;
  const v = isObj(param) ? param.Default : value;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

export function readSamTemplate(path: string): { functions: SamFunction[]; skipped: SamSkipped[] } {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UserError(`The SAM template ${path} does not exist.`);
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'), { customTags: cfnTags(), uniqueKeys: false });
  } catch (e) {
    throw new UserError(`${path} is not a readable YAML template: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}.`);
  }
  if (!isObj(doc) || !isObj(doc.Resources)) throw new UserError(`${path} has no Resources section: is it a SAM or CloudFormation template?`);
  const dir = dirname(resolve(path));
  const globals = isObj(doc.Globals) && isObj(doc.Globals.Function) ? doc.Globals.Function : {};
  const resources = doc.Resources;
  const functions: SamFunction[] = [];
  const skipped: SamSkipped[] = [];

  for (const [logicalId, res] of Object.entries(resources)) {
    if (!isObj(res) || (res.Type !== 'AWS::Serverless::Function' && res.Type !== 'AWS::Lambda::Function')) continue;
    const props: Obj = { ...globals, ...(isObj(res.Properties) ? res.Properties : {}) };
    if (props.PackageType === 'Image') {
      skipped.push({ logicalId, reason: 'a container image function (PackageType: Image): profile the image\'s handler folder directly' });
      continue;
    }
    const runtime = typeof props.Runtime === 'string' ? props.Runtime : '';
    if (!/^python3\.\d+$/.test(runtime)) {
      skipped.push({ logicalId, reason: runtime ? `runtime ${runtime} is not Python` : 'no literal Runtime' });
      continue;
    }
    const handler = typeof props.Handler === 'string' ? props.Handler : '';
    const dot = handler.lastIndexOf('.');
    if (dot <= 0) {
      skipped.push({ logicalId, reason: `Handler ${JSON.stringify(props.Handler ?? null)} is not module.function` });
      continue;
    }
    const codeUri = props.CodeUri ?? (res.Type === 'AWS::Lambda::Function' && isObj(props.Code) ? undefined : '.');
    if (typeof codeUri !== 'string') {
      skipped.push({ logicalId, reason: 'its code is not in a local folder (CodeUri is an S3 location or missing)' });
      continue;
    }
    const root = resolve(dir, codeUri);
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      skipped.push({ logicalId, reason: `CodeUri ${codeUri} is not a folder next to the template` });
      continue;
    }
    const layers: string[] = [];
    const skippedLayers: string[] = [];
    for (const layer of Array.isArray(props.Layers) ? props.Layers : []) {
      const ref = isObj(layer) && typeof layer.Ref === 'string' ? layer.Ref : undefined;
      const target = ref ? resources[ref] : undefined;
      if (ref && isObj(target) && isObj(target.Properties) && typeof (target.Properties.ContentUri ?? target.Properties.Content) === 'string') {
        const content = resolve(dir, String(target.Properties.ContentUri ?? target.Properties.Content));
        if (existsSync(content)) layers.push(content);
        else skippedLayers.push(`${ref} (ContentUri ${String(target.Properties.ContentUri)} not found)`);
      } else {
        skippedLayers.push(typeof layer === 'string' ? layer : JSON.stringify(layer));
      }
    }
    functions.push({
      logicalId,
      runtime,
      handler,
      module: handler.slice(0, dot).replace(/\//g, '.'),
      function: handler.slice(dot + 1),
      root,
      layers,
      skippedLayers,
      memorySizeMB: memorySize(props.MemorySize, doc.Parameters),
    });
  }
  return { functions, skipped };
}
