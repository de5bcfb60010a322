// `invoke --html <file>`: one self-contained page (./html-page.ts): a strip plot of every invocation (one dot
// per invocation and figure: Init Duration and Duration, cold, warm and re-init strips apart; errors and
// timeouts drawn as crosses, re-inits as diamonds; hovering a dot shows its figures), the summary, the
// percentile table and the cost lines of the terminal report (./invoke-table.ts), and the notes.
// The rows travel as compact columns (request ids packed, figures in hundredths of a ms) so that a
// 10,000-invocation run stays well under 1 MB; every text is data, shown with textContent.
import { billedMs, INIT_BILLING_NOTE, usd, type CostLine } from '../analysis/cost.js';
import type { Percentiles } from '../analysis/invoke-stats.js';
import { isSnapStartRestore, type InvocationRecord } from '../model/invocation.js';
import { BASE_STYLE, pageStart, writePageEnd } from './html-page.js';
import type { InvokeReport } from './inputs.js';
import { environmentsText, shortStream } from './invoke-table.js';
import type { Renderer } from './renderer.js';
import type { Sink } from './sink.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Request ids: when all are lower-case UUIDs (Lambda's), 22 base64url characters each in one string; else as given. */
export function packIds(ids: readonly string[]): { idPack: 'uuid'; ids: string } | { idPack: 'raw'; ids: string[] } {
  if (ids.length === 0 || !ids.every((id) => UUID.test(id))) return { idPack: 'raw', ids: [...ids] };
  return { idPack: 'uuid', ids: ids.map((id) => Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url')).join('') };
}

/** One letter per start: c(old), s(napStart restore, cold), w(arm), r(e-init), u(nknown: no REPORT). */
function kindCode(r: InvocationRecord): string {
  if (r.kind === 'cold') return isSnapStartRestore(r) ? 's' : 'c';
  return r.kind === 'warm' ? 'w' : r.kind === 're-init' ? 'r' : 'u';
}

const hundredths = (x: number | null): number => (x === null ? -1 : Math.round(x * 100));

type PctRow = [string, number, number, number, number, number, string];

function pctRow(label: string, p: Percentiles | null, signed = false): PctRow[] {
  if (!p) return [];
  const f = (x: number): string => `${signed && x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  return [[label, p.n, p.p50, p.p90, p.p99, p.max, p.values ? p.values.map(f).join(', ') : '']];
}

/** The page's data. */
export function invokeHtmlData(report: InvokeReport): Record<string, unknown> {
  const fn = report.function;
  const s = report.summary;
  const inv = report.invocations;
  const streams: string[] = [];
  const streamAt = new Map<string, number>();
  const env = inv.map((r) => {
    if (!r.logStream) return -1;
    const short = shortStream(r.logStream);
    let at = streamAt.get(short);
    if (at === undefined) {
      at = streams.push(short) - 1;
      streamAt.set(short, at);
    }
    return at;
  });
  const errorTypes: Record<string, string> = {};
  inv.forEach((r, i) => {
    if (r.errorType) errorTypes[i] = r.errorType;
  });
  const envs = environmentsText(s);
  const summary = [
    `cold starts: ${s.cold.count} of ${s.count} (${(s.cold.rate * 100).toFixed(0)} %)` +
      (s.cold.restore.count ? `, ${s.cold.restore.count} of them SnapStart restores` : '') +
      `; ${s.warm.count + s.warm.failed} warm` +
      (s.reinit.count ? `, ${s.reinit.count} re-init (an init re-run after a timeout or crash, not a cold start)` : '') +
      (s.unknown ? `, ${s.unknown} unknown (no REPORT: not drawn)` : '') +
      `; ${envs}`,
    `failures: ${s.errors} error(s), ${s.timeouts} timeout(s)`,
  ];
  if (report.throttled) summary.push(`throttled: ${report.throttled} answer${report.throttled === 1 ? '' : 's'} 429 (retried or left to the next round; no invocation ran, nothing drawn)`);
  if (report.forced.cold) summary.push(`forced cold starts: ${report.forced.updates} configuration update${report.forced.updates === 1 ? '' : 's'}; environment ${report.forced.restore}`);
  if (report.interrupted) summary.push(`interrupted after ${s.count} of ${s.requested} invocations`);
  const c = s.cost;
  const costRow = (label: string, l: CostLine): string[] => [label, usd(l.perInvocationUsd, 10), usd(l.perMillionUsd, 4), String(l.billedMs), String(l.count)];
  return {
    title: `${fn.functionName}${fn.qualifier ? `:${fn.qualifier}` : ''}`,
    meta: `${fn.runtime ?? fn.packageType ?? 'unknown runtime'} · ${fn.memorySizeMB} MB · ${fn.architecture} · ${fn.logFormat} logs in ${fn.logGroup} · ${report.region}`,
    n: inv.length,
    idx: inv.map((r) => r.index),
    ...packIds(inv.map((r) => r.requestId)),
    kind: inv.map(kindCode).join(''),
    status: inv.map((r) => (r.status === 'success' ? 'o' : r.status === 'timeout' ? 't' : 'e')).join(''),
    errorTypes,
    streams,
    env,
    init: inv.map((r) => hundredths(r.initDurationMs ?? r.restoreDurationMs)),
    dur: inv.map((r) => hundredths(r.durationMs)),
    billed: inv.map((r) => billedMs(r) ?? -1),
    mem: inv.map((r) => r.maxMemoryUsedMB ?? -1),
    summary,
    percentiles: [
      ...pctRow('init (cold starts)', s.cold.initDurationMs),
      ...pctRow('restore (SnapStart)', s.cold.restore.restoreDurationMs),
      ...pctRow(`cold total (${s.cold.restore.count ? 'init or restore' : 'init'} + duration)`, s.cold.totalMs),
      ...pctRow('warm duration (successful)', s.warm.durationMs),
      ...pctRow('cold penalty (total − warm median)', s.coldPenaltyMs, true),
      ...pctRow('re-init init', s.reinit.initDurationMs),
      ...pctRow('re-init duration', s.reinit.durationMs),
    ],
    costMeta: `${c.architecture}, ${c.memorySizeMB} MB, $${c.pricePerGbSecond}/GB-s`,
    cost: [costRow('cold', c.cold), costRow('warm', c.warm), ...(s.reinit.count ? [costRow('re-init', c.reinit)] : []), costRow('all', c.total)],
    costTotal: `total ${usd(c.total.usd, 10)}`,
    billing: INIT_BILLING_NOTE,
    notes: [
      ...s.repeatedPids.map((p) => `PID ${p.pid} appeared in ${p.environments} different environments: a repeated PID is not evidence of a warm start.`),
      ...report.notes,
    ],
  };
}

const STYLE = `${BASE_STYLE}
.cold{fill:#2b6cb0}.warm{fill:#5b8e7d}.reinit{fill:#8e44ad}.error{stroke:#c0392b;stroke-width:2;fill:none}
#chart [data-kind]{cursor:default}
#chart .strip{fill:transparent;cursor:zoom-in}#chart .strip:hover{fill:rgba(0,0,0,.03)}
#zoom .link{cursor:pointer;color:#06c}
`;

// The page: the strip plot, then the tables. Dots are SVG elements with data-kind (cold, warm, reinit,
// error), data-figure (init, duration) and data-i (the row); one listener shows the tooltip.
const SCRIPT = `
var K={c:'cold',s:'cold',w:'warm',r:'re-init',u:null},KL={c:'cold',s:'cold (SnapStart restore)',w:'warm',r:'re-init',u:'unknown'};
var ST={o:'ok',e:'error',t:'timeout'};
function id(i){if(d.idPack==='raw')return d.ids[i];var b=atob(d.ids.substr(i*22,22).replace(/-/g,'+').replace(/_/g,'/')+'=='),h='';
  for(var k=0;k<b.length;k++)h+=('0'+b.charCodeAt(k).toString(16)).slice(-2);
  return h.slice(0,8)+'-'+h.slice(8,12)+'-'+h.slice(12,16)+'-'+h.slice(16,20)+'-'+h.slice(20)}
function v(a,i){return a[i]<0?null:a[i]/100}
function figures(i){var k=d.kind[i],st=d.status[i],t=[];
  t.push('#'+d.idx[i]+' · '+KL[k]+' · '+ST[st]+(d.errorTypes[i]?' '+d.errorTypes[i]:''));
  t.push('request '+id(i));
  if(d.env[i]>=0)t.push('env '+d.streams[d.env[i]]);
  if(d.init[i]>=0)t.push((k==='s'?'restore ':'init ')+ms(v(d.init,i)));
  t.push('duration '+ms(v(d.dur,i))+' · billed '+(d.billed[i]<0?'-':d.billed[i]+' ms'));
  t.push('max memory used '+(d.mem[i]<0?'-':d.mem[i]+' MB'));
  return t.join('\\n')}
text('title',d.title);text('meta',d.meta);
function kindOf(i){return d.status[i]!=='o'?'error':d.kind[i]==='r'?'reinit':K[d.kind[i]]}
function shape(kind,x,y,i,fig){var a={'class':kind,'data-kind':kind,'data-figure':fig,'data-i':i};
  if(kind==='reinit'){a.d='M'+x+' '+(y-5)+'l5 5l-5 5l-5-5z';return sv('path',a)}
  if(kind==='error'){a.d='M'+(x-4)+' '+(y-4)+'l8 8m0-8l-8 8';return sv('path',a)}
  a.cx=x;a.cy=y;a.r=3.5;return sv('circle',a)}
var W=900,L=150,R=24,SH=34,any={r:false};
for(var i=0;i<d.n;i++)if(d.kind[i]==='r')any.r=true;
var panels=[{title:'Init Duration (restore for SnapStart)',fig:'init',a:d.init,strips:any.r?['cold','re-init']:['cold']},
  {title:'Duration',fig:'duration',a:d.dur,strips:any.r?['cold','warm','re-init']:['cold','warm']}];
var svg=sv('svg',{id:'strips'}),drawn=0,crumbs=document.getElementById('zoom');
// a click on a strip zooms its panel's axis to that strip's values; the line above the chart leads back
function draw(zoom){
  while(svg.firstChild)svg.removeChild(svg.firstChild);
  var y0=0;drawn=0;
  panels.forEach(function(p){
    var lo=Infinity,hi=0,only=zoom&&zoom.fig===p.fig?zoom.strip:null;
    for(var i=0;i<d.n;i++){var x=p.a[i];if(x>=0&&K[d.kind[i]]&&(!only||K[d.kind[i]]===only)){lo=Math.min(lo,x/100);hi=Math.max(hi,x/100)}}
    if(hi===0&&lo===Infinity)return;
    var g=sv('g',{'data-panel':p.fig});svg.appendChild(g);
    g.appendChild(sv('text',{x:0,y:y0+14,'font-weight':'bold'},p.title+(only?' \u2014 '+only+' only':'')));
    var top=y0+22,sc=logScale(lo,hi,L,W-R),bottom=top+p.strips.length*SH,range=[sc.lo,sc.hi];
    axis(g,sc,bottom,top);
    p.strips.forEach(function(s,k){
      var row=sv('rect',{x:L,y:top+k*SH,width:W-R-L,height:SH,'class':'strip','data-panel':p.fig,'data-strip':s});
      row.addEventListener('click',function(){draw(only===s?null:{fig:p.fig,strip:s})});g.appendChild(row);
      g.appendChild(sv('text',{x:L-8,y:top+k*SH+SH/2+4,'text-anchor':'end'},s))});
    for(var i=0;i<d.n;i++){var x=p.a[i],s=K[d.kind[i]];if(x<0||!s)continue;var k=p.strips.indexOf(s);if(k<0)continue;
      if(x/100<range[0]||x/100>range[1])continue;
      var jit=(((i*7919)%31)/31-0.5)*SH*0.6;
      g.appendChild(shape(kindOf(i),sc(x/100).toFixed(1),(top+k*SH+SH/2+jit).toFixed(1),i,p.fig));drawn++}
    y0=bottom+30});
  svg.setAttribute('viewBox','0 0 '+W+' '+Math.max(y0,40));
  crumbs.textContent='';
  var all=el('span','all invocations');crumbs.appendChild(all);
  if(zoom){all.className='link';all.onclick=function(){draw(null)};
    crumbs.appendChild(document.createTextNode(' \u203a '+(zoom.fig==='init'?'Init Duration':'Duration')+' \u203a '+zoom.strip))}
  else crumbs.appendChild(el('span',' \u00b7 click a strip to zoom into it','muted'));
}
draw(null);
document.getElementById('chart').appendChild(svg);
if(!drawn)document.getElementById('chart').appendChild(el('p','no invocation with a REPORT to draw','muted'));
hover(svg,function(t){var i=t.getAttribute&&t.getAttribute('data-i');return i==null?null:figures(+i)});
var lg=document.getElementById('legend');
[['cold','cold start'],['warm','warm'],['reinit','re-init'],['error','error or timeout']].forEach(function(k){
  var s=el('span'),m=sv('svg',{width:14,height:12,viewBox:'0 0 14 12'});m.appendChild(shape(k[0],7,6,-1,'legend'));m.firstChild.removeAttribute('data-kind');
  s.appendChild(m);s.appendChild(document.createTextNode(' '+k[1]));lg.appendChild(s)});
lg.appendChild(el('span','log scale; hover a dot for its figures','muted'));
list('summary',d.summary);
table('percentiles',['figure (ms)','n','p50','p90','p99','max','values (n < 5)'],d.percentiles.map(function(r){return[r[0],{t:String(r[1]),n:1},{t:fx(r[2]),n:1},{t:fx(r[3]),n:1},{t:fx(r[4]),n:1},{t:fx(r[5]),n:1},r[6]]}));
text('cost-meta',d.costMeta+' · '+d.costTotal);
table('cost',['invocations','per invocation','per million','billed ms','n'],d.cost.map(function(r){return[r[0],{t:r[1],n:1},{t:r[2],n:1},{t:r[3],n:1},{t:r[4],n:1}]}));
text('billing',d.billing);
if(d.notes.length)list('notes',d.notes);else{var nh=document.getElementById('notes-h');nh.parentNode.removeChild(nh)}
`;

function renderInvokeHtml(report: InvokeReport, sink: Sink): void {
  sink.write(pageStart('lambda-cold invoke', STYLE));
  sink.write('<h1 id="title"></h1>\n<div id="meta" class="muted"></div>\n');
  sink.write('<h2>Cold vs warm</h2>\n<div id="legend" class="legend"></div>\n<div id="zoom"></div>\n<div id="chart"></div>\n<div id="tip"></div>\n');
  sink.write('<h2>Summary</h2>\n<ul id="summary"></ul>\n<h2>Percentiles</h2>\n<table id="percentiles"></table>\n');
  sink.write('<h2>Cost</h2>\n<div id="cost-meta" class="muted"></div>\n<table id="cost"></table>\n<p id="billing" class="muted"></p>\n');
  sink.write('<h2 id="notes-h">Notes</h2>\n<ul id="notes"></ul>\n');
  writePageEnd(sink, invokeHtmlData(report), SCRIPT);
}

export const renderer: Renderer<InvokeReport> = { render: renderInvokeHtml };
