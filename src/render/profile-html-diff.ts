// The gate's part of `profile --html`: with --against or --baseline, the icicle of head coloured by how
// much each module's median self time changed against the base (a diverging scale: faster … unchanged …
// slower; a module the base did not import is hatched), the base's figures and the delta in the tooltip,
// the modules the base imported and head does not listed under the icicle, and the gate's verdict on top.
// Self time, not cumulative: a module's own change, so that a slower leaf does not paint its importers
// (the gate attributes a regression the same way, gate/attribute.ts). The gate decided; this looks up.
import type { Comparison, GateResult } from '../gate/types.js';

/** Below this, the scale does not stretch: a tree whose biggest change is 0.2 ms is nearly all "unchanged". */
export const MIN_SCALE_US = 1000;

/** The scale's ends and middle (ColorBrewer RdBu): faster, unchanged, slower. */
const FASTER: RGB = [67, 147, 195];
const UNCHANGED: RGB = [224, 224, 224];
const SLOWER: RGB = [214, 96, 77];
type RGB = [number, number, number];

const hex = (c: RGB): string => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** The colour of a change of `deltaUs` on a scale whose ends are ±`scaleUs`. */
export function diffColour(deltaUs: number, scaleUs: number): string {
  const t = Math.max(-1, Math.min(1, deltaUs / scaleUs));
  const end = t < 0 ? FASTER : SLOWER;
  const k = Math.abs(t);
  return hex(UNCHANGED.map((u, i) => u + (end[i]! - u) * k) as RGB);
}

/** Per icicle node: [base self µs, base cumulative µs, head − base self µs, colour], or null for a module new in head. */
export type DiffRow = [number, number, number, string] | null;

export interface DiffData {
  base: string;
  metric: 'self';
  scaleUs: number;
  colours: { faster: string; unchanged: string; slower: string };
  rows: DiffRow[];
  /** In the base, not in head: [name, base self µs, base cumulative µs]. */
  removed: Array<[string, number, number]>;
}

/** The base's medians by module name (a name the base's tree holds twice is summed, as the gate does). */
function baseByName(c: Comparison): Map<string, { self: number; cumulative: number }> {
  const out = new Map<string, { self: number; cumulative: number }>();
  for (const m of c.baseModules ?? []) {
    const had = out.get(m.name);
    out.set(m.name, { self: (had?.self ?? 0) + m.selfUs, cumulative: (had?.cumulative ?? 0) + m.cumulativeUs });
  }
  return out;
}

/** The differential colouring of the icicle's nodes ([name, parent, self µs, …] rows), or null without a base's modules. */
export function diffData(nodes: ReadonlyArray<readonly [string, number, number, ...unknown[]]>, gate: GateResult | null): DiffData | null {
  const c = gate?.comparison;
  if (!c?.baseModules) return null;
  const base = baseByName(c);
  const deltas = nodes.map(([name, , self]) => {
    const b = base.get(name);
    return b ? self - Math.round(b.self) : null;
  });
  const scaleUs = Math.max(MIN_SCALE_US, ...deltas.map((d) => Math.abs(d ?? 0)));
  const rows = nodes.map(([name], i): DiffRow => {
    const b = base.get(name);
    const d = deltas[i];
    return b && d != null ? [Math.round(b.self), Math.round(b.cumulative), d, diffColour(d, scaleUs)] : null;
  });
  const removed = c.removedModules.map((name): [string, number, number] => {
    const b = base.get(name);
    return [name, Math.round(b?.self ?? 0), Math.round(b?.cumulative ?? 0)];
  });
  return { base: c.baseLabel, metric: 'self', scaleUs, colours: { faster: hex(FASTER), unchanged: hex(UNCHANGED), slower: hex(SLOWER) }, rows, removed };
}

/** The gate's verdict for the top of the page, or null when no gate check ran. */
export function verdictData(gate: GateResult | null): Record<string, unknown> | null {
  if (!gate || gate.checks.length === 0) return null;
  return {
    passed: gate.passed,
    base: gate.comparison?.baseLabel ?? null,
    failures: gate.failures.map((f) => f.message),
    checks: gate.checks.map((k) => [k.label, k.limit, k.measured, k.passed]),
  };
}

export const DIFF_STYLE = `
#verdict{margin:10px 0;padding:8px 10px;border-radius:3px}#verdict.pass{background:#e6f4ea;border:1px solid #7bbf8e}#verdict.fail{background:#fdecea;border:1px solid #e08a80}
#verdict>b{font-size:14px}#verdict ul{margin:4px 0 4px 18px;padding:0}#verdict .checks{font-size:12px}#verdict .ok span:first-child{color:#2e7d32}#verdict .bad span:first-child{color:#c62828}
.bar.new{background-image:repeating-linear-gradient(45deg,rgba(0,0,0,.45) 0 3px,transparent 3px 7px);background-color:#fff}
.scale{display:inline-block;width:160px;height:12px;vertical-align:middle;margin:0 6px}
.legend label{margin-right:12px}
`;

// Inside the page script's closure: d (the data), N (nodes), el(), usMs(), draw(), cur (the focused node).
export const DIFF_SCRIPT = `
var DF=d.diff||null,byChange=!!DF;
function sms(us){return (us<0?'\\u2212':'+')+usMs(Math.abs(us))}
function paint(b,i){if(!DF||!byChange)return;var r=DF.rows[i];if(r){b.style.backgroundColor=r[3];b.dataset.delta=String(r[2])}else{b.className+=' new';b.dataset.delta='new'}}
function diffTip(i){if(!DF)return'';var r=DF.rows[i];if(!r)return'\\nnew: not imported in '+DF.base;
  return'\\n'+DF.base+': self '+usMs(r[0])+' \\u00b7 cumulative '+usMs(r[1])+'\\nchange in self time: '+sms(r[2])+(r[0]>0?' ('+(r[2]>=0?'+':'\\u2212')+(100*Math.abs(r[2])/r[0]).toFixed(1)+'%)':'')}
function diffChrome(){
  var tool=document.getElementById('tool'),V=d.verdict;
  if(V){var v=el('div',null,V.passed?'pass':'fail');v.id='verdict';v.appendChild(el('b',V.passed?'Gate passed':'Gate failed: '+V.failures.length+' failure'+(V.failures.length===1?'':'s')));
    if(V.base)v.appendChild(el('span',' \\u00b7 against '+V.base,'muted'));
    if(V.failures.length){var ul=el('ul');V.failures.forEach(function(f){ul.appendChild(el('li',f))});v.appendChild(ul)}
    var ch=el('div',null,'checks');V.checks.forEach(function(k){var c=el('div',null,k[3]?'ok':'bad');c.appendChild(el('span',k[3]?'\\u2713 ':'\\u2717 '));c.appendChild(el('b',k[0]+': '));c.appendChild(document.createTextNode(k[2]+' '));c.appendChild(el('span','(limit '+k[1]+')','muted'));ch.appendChild(c)});v.appendChild(ch);
    tool.parentNode.insertBefore(v,tool.nextSibling)}
  if(!DF)return;
  var lg=el('div',null,'legend');lg.id='diff-legend';
  var lab=el('label'),cb=el('input');cb.type='checkbox';cb.checked=true;cb.id='by-change';lab.appendChild(cb);lab.appendChild(document.createTextNode(' colour by change in median self time against '+DF.base));lg.appendChild(lab);lg.appendChild(el('br'));
  var sc=el('span',null,'scale');sc.style.background='linear-gradient(to right,'+DF.colours.faster+','+DF.colours.unchanged+','+DF.colours.slower+')';
  lg.appendChild(el('span','faster ('+sms(-DF.scaleUs)+')','muted'));lg.appendChild(sc);lg.appendChild(el('span','slower ('+sms(DF.scaleUs)+')','muted'));
  var nw=el('span',null,'bar new');nw.style.position='static';nw.style.display='inline-block';nw.style.width='24px';nw.style.height='12px';nw.style.margin='0 4px 0 12px';nw.style.verticalAlign='middle';lg.appendChild(nw);lg.appendChild(el('span','new: not in the base','muted'));
  cb.onchange=function(){byChange=cb.checked;draw(cur)};
  var crumbs=document.getElementById('crumbs');crumbs.parentNode.insertBefore(lg,crumbs);
  var box=document.getElementById('icicle'),after=box.nextSibling,h=el('h2','Removed: imported in '+DF.base+', not here');h.id='removed-h';box.parentNode.insertBefore(h,after);
  if(!DF.removed.length){box.parentNode.insertBefore(el('p','none','muted'),after);return}
  var ul=el('ul');ul.id='removed';DF.removed.forEach(function(r){ul.appendChild(el('li',r[0]+' \\u2014 self '+usMs(r[1])+', cumulative '+usMs(r[2])))});box.parentNode.insertBefore(ul,after);
}
`;
