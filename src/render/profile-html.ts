// `profile --html <file>`: one self-contained page (styles, script and data inline; no network, opens from
// file://): an icicle of the median import tree (hover: module, self and cumulative ms, share of the total;
// a click zooms in, the breadcrumb leads back), the package table, the advice and the phase split.
// Module names, files and advice are data: they travel as JSON in a <script type="application/json">
// with <, >, &, U+2028 and U+2029 escaped, and the page builds its DOM with textContent only.
import { statTree, type StatNode } from '../importtime/aggregate.js';
import type { ProfileSession } from '../importtime/session.js';
import { shownStatements } from '../importtime/statements.js';
import type { Owner } from '../python/distributions.js';
import { adviceGain } from './format.js';
import { BASE_STYLE, pageStart, writePageEnd } from './html-page.js';
import { timelineTitle } from './import-timeline.js';
import { DIFF_SCRIPT, DIFF_STYLE, diffData, verdictData } from './profile-html-diff.js';
import type { ProfileInput } from './inputs.js';
import type { Renderer } from './renderer.js';
import type { Sink } from './sink.js';

/** Owner as one letter: u(ser), t(hird-party), s(tandard library), ? (unknown, e.g. a captured file). */
function ownerCode(owner: Owner | undefined): 'u' | 't' | 's' | '?' {
  if (!owner) return '?';
  return owner.kind === 'user' ? 'u' : owner.kind === 'third-party' ? 't' : owner.kind === 'stdlib' ? 's' : '?';
}

function ownerLabel(owner: Owner): string {
  return owner.kind === 'third-party' ? `${owner.distribution}${owner.version ? ` ${owner.version}` : ''}` : owner.kind;
}

/** The page's data: the tree as compact rows [name, parent row or -1, self µs, cumulative µs, owner]. */
export function htmlData({ session, advice, toolVersion, gate = null }: Pick<ProfileInput, 'session' | 'advice' | 'toolVersion'> & { gate?: ProfileInput['gate'] }): Record<string, unknown> {
  // pre-order, without recursion (a capture can nest deeper than the call stack allows): a parent before its children
  const nodes: Array<[string, number, number, number, string]> = [];
  const stack: Array<[StatNode, number]> = statTree(session.aggregate.modules).map((r) => [r, -1] as [StatNode, number]).reverse();
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [{ stat: m, children }, parent] = top;
    if (m.cached) continue;
    const at = nodes.length;
    nodes.push([m.name, parent, Math.round(m.selfUs.median), Math.round(m.cumulativeUs.median), ownerCode(session.owners.get(m.name))]);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i] as StatNode, at]);
  }
  return {
    title: timelineTitle(session),
    tool: `lambda-cold ${toolVersion}`,
    totalUs: session.aggregate.totalUs.median,
    nodes,
    packages: session.packages.map((p) => ({ name: p.name, owner: ownerLabel(p.owner), ownerCode: ownerCode(p.owner), selfUs: p.selfUs, cumulativeUs: p.cumulativeUs, moduleCount: p.moduleCount })),
    // the gain as the terminal report words it when it is not a saving: a kept import (a client, a deferral the
    // memory size makes costlier) says why, a cost that stays at init says so
    advice: advice.map((a) => {
      const gain = adviceGain(a);
      return { kind: a.kind, file: a.file, line: a.line, module: a.module, savingMs: a.savingMs, gainText: gain.tone === 'saves' ? null : gain.text, message: a.message };
    }),
    phases: phasesOf(session),
    // with a gate: its verdict; with a base, the differential colouring (profile-html-diff.ts)
    verdict: verdictData(gate),
    diff: diffData(nodes, gate),
    // the attribution run's statements (docs/profile.md, "Which statement"), the costliest of each module
    // modules with 1 ms of own time or more, costliest first: sub-millisecond statements are noise here
    statements: (session.statements?.modules ?? []).filter((m) => m.selfUs >= 1000).sort((a, b) => b.selfUs - a.selfUs).flatMap((m) =>
      shownStatements(m, 5).map((s) => ({ module: m.module, line: s.line, text: s.text, selfUs: s.selfUs, share: s.share, calls: s.calls ? `${s.calls.name} (${s.calls.distribution ?? 'standard library'})` : '' })),
    ),
  };
}

function phasesOf(session: ProfileSession): Array<[string, number]> | null {
  const inv = session.invocation;
  if (!inv) return null;
  const phases: Array<[string, number]> = [];
  if (session.startup) phases.push(['start-up', session.startup.totalUs.median / 1000]);
  phases.push(['init (imports)', session.aggregate.totalUs.median / 1000], ['first invoke', inv.firstUs.median / 1000]);
  if (inv.warmUs.n > 0) phases.push(['warm invoke', inv.warmUs.median / 1000]);
  return phases;
}

const STYLE = `${BASE_STYLE}
#crumbs span{cursor:pointer;color:#06c}#crumbs span:last-child{color:#222;cursor:default}
#icicle{position:relative;width:100%;overflow:hidden;border:1px solid #ddd;margin-top:6px}
.bar{position:absolute;height:18px;box-sizing:border-box;border:1px solid #fff;overflow:hidden;white-space:nowrap;font-size:11px;line-height:16px;padding:0 3px;cursor:pointer}
.u{background:#f4a259}.t{background:#5b8e7d}.s{background:#a0a4b8}.q{background:#d6c48a}
.legend span{display:inline-block;padding:0 6px;margin-right:6px}
${DIFF_STYLE}`;

// The page's script, after html-page.ts's library (d, el, table, showTip…): plain DOM, textContent only
// (never innerHTML), no network. Times in the data are µs: usMs, not the library's ms.
const SCRIPT = `
var N=d.nodes,kids=N.map(function(){return[]}),roots=[];
N.forEach(function(n,i){(n[1]>=0?kids[n[1]]:roots).push(i)});
var CLS={u:'u',t:'t',s:'s','?':'q'},OWN={u:'your code',t:'third-party',s:'standard library','?':'unknown owner'};
var total=d.totalUs>0?d.totalUs:roots.reduce(function(a,i){return a+N[i][3]},0)||1;
function usMs(us){return (us/1000).toFixed(us<10000?2:1)+' ms'}
document.getElementById('title').textContent=d.title;
document.getElementById('tool').textContent=d.tool+' \\u00b7 '+N.length+' modules \\u00b7 imports '+usMs(total);
var box=document.getElementById('icicle'),crumbs=document.getElementById('crumbs');
var H=18,MIN=0.0015,cur=-1;
${DIFF_SCRIPT}
function draw(focus){
  cur=focus;box.textContent='';crumbs.textContent='';
  var path=[];for(var f=focus;f>=0;f=N[f][1])path.unshift(f);
  var all=el('span','all imports');all.onclick=function(){draw(-1)};crumbs.appendChild(all);
  path.forEach(function(i,k){crumbs.appendChild(document.createTextNode(' \\u203a '));var s=el('span',N[i][0]);if(k<path.length-1)s.onclick=function(){draw(i)};crumbs.appendChild(s)});
  var top=focus>=0?[focus]:roots,span=focus>=0?Math.max(N[focus][3],1):roots.reduce(function(a,i){return a+N[i][3]},0)||1;
  var stack=[],x=0,depth=0;
  top.forEach(function(i){stack.push([i,x,0]);x+=N[i][3]});
  stack.reverse();
  while(stack.length){
    var it=stack.pop(),i=it[0],left=it[1],lv=it[2],n=N[i],w=Math.min(n[3],span-left);
    if(w/span<MIN)continue;
    if(lv>depth)depth=lv;
    var b=el('div',n[0],'bar '+CLS[n[4]]);
    b.style.left=(100*left/span)+'%';b.style.width=(100*w/span)+'%';b.style.top=(lv*H)+'px';paint(b,i);
    b.onmousemove=(function(n,i){return function(e){showTip(e,n[0]+'\\nself '+usMs(n[2])+' \\u00b7 cumulative '+usMs(n[3])+'\\n'+(100*n[3]/total).toFixed(1)+'% of the imports \\u00b7 '+OWN[n[4]]+diffTip(i))}})(n,i);
    b.onmouseleave=hideTip;
    b.onclick=(function(i){return function(){hideTip();draw(i)}})(i);
    box.appendChild(b);
    var c=kids[i],cx=left,end=left+w,pend=[];
    c.forEach(function(j){var s=Math.min(cx,end);pend.push([j,s,lv+1]);cx=s+N[j][3]});
    for(var k=pend.length-1;k>=0;k--)if(pend[k][1]<end)stack.push(pend[k]);
  }
  box.style.height=((depth+1)*H)+'px';
}
diffChrome();
draw(-1);
table('packages',['package','owner','cumulative','self','modules'],d.packages.map(function(p){return[{t:p.name,c:CLS[p.ownerCode]},p.owner,{t:usMs(p.cumulativeUs),n:1},{t:usMs(p.selfUs),n:1},{t:String(p.moduleCount),n:1}]}));
table('advice',['saves','kind','where','advice'],d.advice.map(function(a){return[a.gainText||{t:a.savingMs.toFixed(1)+' ms',n:1},a.kind,a.file+':'+a.line,a.message]}));
table('statements',['module','line','statement','self','share','calls'],(d.statements||[]).map(function(s){return[s.module,{t:String(s.line),n:1},s.text,{t:usMs(s.selfUs),n:1},{t:(100*s.share).toFixed(0)+'%',n:1},s.calls]}));
if(d.phases){document.getElementById('phases-h').hidden=false;table('phases',['phase','median'],d.phases.map(function(p){return[p[0],{t:p[1].toFixed(1)+' ms',n:1}]}))}
else{var p=document.getElementById('phases');p.parentNode.removeChild(p)}
`;

function renderHtml(input: ProfileInput, sink: Sink): void {
  sink.write(pageStart('lambda-cold profile', STYLE));
  sink.write('<h1 id="title"></h1>\n<div id="tool" class="muted"></div>\n<h2>Import tree</h2>\n');
  sink.write('<div class="legend"><span class="u">your code</span><span class="t">third-party</span><span class="s">standard library</span><span class="q">unknown owner</span> <span class="muted">hover for times, click to zoom</span></div>\n');
  sink.write('<div id="crumbs"></div>\n<div id="icicle"></div>\n<div id="tip"></div>\n');
  sink.write('<h2>Packages</h2>\n<table id="packages"></table>\n<h2>Advice</h2>\n<table id="advice"></table>\n');
  sink.write('<h2>Statements of your modules</h2>\n<table id="statements"></table>\n');
  sink.write('<h2 id="phases-h" hidden>Phases</h2>\n<table id="phases"></table>\n');
  writePageEnd(sink, htmlData(input), SCRIPT);
}

export const renderer: Renderer<ProfileInput> = { render: renderHtml };
