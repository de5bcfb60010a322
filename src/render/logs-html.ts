// `logs --html <file>`: one self-contained page (./html-page.ts). Per function, in the report's order (total
// cold-start time), the cold vs warm picture from what `logs` keeps: histograms of the cold starts' Init
// Duration, their Duration and the successful warm Duration on one log-scale axis (the fixed bins of
// ./logs-input.ts, counted as the events streamed), re-inits, errors and timeouts counted apart; then the
// percentile table and the cold-start cost. Logs Insights returns percentiles, not events: its functions
// get the percentiles drawn as markers instead of bars. Names and log text are data, shown with textContent.
import { INIT_BILLING_NOTE, usd } from '../analysis/cost.js';
import { BASE_STYLE, pageStart, writePageEnd } from './html-page.js';
import { HISTOGRAM_BINS, type Histogram, type LogsReport, type StreamingPercentiles } from './logs-input.js';
import type { Renderer } from './renderer.js';
import type { Sink } from './sink.js';

type Pct = [number, number, number, number, number] | null;
const pct = (p: StreamingPercentiles | null): Pct => (p ? [p.n, p.p50, p.p90, p.p99, p.max] : null);
const bins = (h: Histogram): [number, number[]] => [h.from, h.counts];

/** The page's data. */
export function logsHtmlData(report: LogsReport): Record<string, unknown> {
  return {
    title: 'Cold starts in real traffic',
    meta: `${report.region} · ${new Date(report.window.start).toISOString()} → ${new Date(report.window.end).toISOString()} · ${report.engine} (${report.engineReason})`,
    bins: HISTOGRAM_BINS,
    functions: report.functions.map((f) => {
      const h = f.history;
      return {
        name: f.name,
        meta: `${f.runtime ?? 'container image'} · ${f.memorySizeMB} MB · ${f.architecture} · ${f.logFormat} logs in ${f.logGroup}`,
        invocations: h.invocations,
        coldStarts: h.coldStarts,
        rate: h.coldStartRate,
        environments: h.environments,
        apart: { reinits: h.reinits, errors: h.errors, timeouts: h.timeouts, restores: h.restores, unknown: h.unknown },
        ahead: h.initAhead,
        // [n, p50, p90, p99, max] or null
        pct: {
          init: pct(h.initDurationMs),
          restore: pct(h.restoreDurationMs),
          cold: pct(h.coldDurationMs),
          warm: pct(h.warmDurationMs),
          reinit: pct(h.reinitInitDurationMs),
        },
        hist: h.histograms ? { init: bins(h.histograms.initMs), cold: bins(h.histograms.coldDurationMs), warm: bins(h.histograms.warmDurationMs) } : null,
        totalColdStartMs: h.totalColdStartMs,
        cost: [usd(h.coldCostUsd, 6), h.coldBilledMs, h.coldStarts ? usd(h.coldCostUsd / h.coldStarts, 10) : '-', `$${report.pricePerGbSecond[f.architecture]}/GB-s`],
      };
    }),
    skipped: report.skipped.map((s) => `skipped ${s.name}: ${s.reason}`),
    notes: [...report.notes, INIT_BILLING_NOTE],
  };
}

const STYLE = `${BASE_STYLE}
.init{fill:#d97706}.cold{fill:#2b6cb0}.warm{fill:#5b8e7d}
.mk{stroke-width:2}.mk.init{stroke:#d97706}.mk.cold{stroke:#2b6cb0}.mk.warm{stroke:#5b8e7d}
span.init{color:#d97706}span.cold{color:#2b6cb0}span.warm{color:#5b8e7d}
section.fn{margin:10px 0 18px;padding-top:4px;border-top:1px solid #eee}
`;

// Per function a <section class="fn" data-name> with an <svg class="hist">: one row per series, bars
// (rect data-series="init|cold|warm" data-count) or, without histograms, percentile markers (line.mk).
const SCRIPT = `
var B=d.bins,SER=[['init','init (cold starts)'],['cold','cold duration'],['warm','warm duration (successful)']];
var PL=['p50','p90','p99','max'];
function edge(i){return B.minMs*Math.pow(10,i/B.perDecade)}
text('title',d.title);text('meta',d.meta);
var box=document.getElementById('functions');
if(!d.functions.length)box.appendChild(el('p','No function to report.','muted'));
d.functions.forEach(function(f){
  var sec=el('section',null,'fn');sec.setAttribute('data-name',f.name);box.appendChild(sec);
  sec.appendChild(el('h3',f.name));sec.appendChild(el('div',f.meta,'muted'));
  sec.appendChild(el('div',f.invocations+' invocations, '+f.coldStarts+' cold starts ('+(f.invocations?(100*f.rate).toFixed(1)+' %':'-')+'), '+f.environments+' environments; cold-start total '+ms(f.totalColdStartMs)));
  var a=f.apart,ap=[a.reinits+' re-init'+(a.reinits===1?'':'s')+' (init re-run after a timeout or crash: not cold, not drawn)',a.errors+' error'+(a.errors===1?'':'s'),a.timeouts+' timeout'+(a.timeouts===1?'':'s')];
  if(a.restores)ap.push(a.restores+' SnapStart restores (cold, no init)');if(a.unknown)ap.push(a.unknown+' without a start kind');
  var apd=el('div','counted apart: '+ap.join(', '),'apart');sec.appendChild(apd);
  if(f.ahead.provisioned||f.ahead.aheadOfTraffic)sec.appendChild(el('div','init ahead of traffic: '+f.ahead.provisioned+' provisioned-concurrency, '+f.ahead.aheadOfTraffic+' proactive','warn'));
  var lo=Infinity,hi=0;
  SER.forEach(function(s){var h=f.hist&&f.hist[s[0]],p=f.pct[s[0]];
    if(h&&h[1].length){lo=Math.min(lo,edge(h[0]));hi=Math.max(hi,edge(h[0]+h[1].length))}
    else if(p){lo=Math.min(lo,p[1]);hi=Math.max(hi,p[4])}});
  if(hi===0){sec.appendChild(el('p','nothing to draw: no REPORT with a duration in the window','muted'));return}
  var W=900,L=170,R=24,RH=46,top=6,svg=sv('svg',{'class':'hist'}),sc=logScale(lo,hi,L,W-R);
  axis(svg,sc,top+SER.length*RH,top);
  SER.forEach(function(s,k){var y=top+k*RH,h=f.hist&&f.hist[s[0]],p=f.pct[s[0]];
    svg.appendChild(sv('text',{x:L-8,y:y+RH/2+4,'text-anchor':'end'},s[1]));
    if(h){var total=0,mx=0;h[1].forEach(function(c){total+=c;mx=Math.max(mx,c)});
      h[1].forEach(function(c,j){if(!c)return;var b=h[0]+j,x0=sc(edge(b)),x1=sc(edge(b+1)),bh=Math.max(1,(RH-8)*c/mx);
        var r=sv('rect',{x:x0.toFixed(1),y:(y+RH-4-bh).toFixed(1),width:Math.max(1,x1-x0-0.5).toFixed(1),height:bh.toFixed(1),'class':s[0],'data-series':s[0],'data-count':c});
        r.setAttribute('data-tip',s[1]+' · '+ms(edge(b))+' – '+ms(edge(b+1))+'\\n'+c+' of '+total+' ('+(100*c/total).toFixed(1)+' %)');svg.appendChild(r)})}
    else if(p){var t=s[1]+' (Logs Insights: percentiles only)\\nn '+p[0]+' · p50 '+ms(p[1])+' · p90 '+ms(p[2])+' · p99 '+ms(p[3])+' · max '+ms(p[4]);
      var base=sv('line',{x1:sc(p[1]),x2:sc(p[4]),y1:y+RH/2,y2:y+RH/2,'class':'mk '+s[0],'data-series':s[0],'data-tip':t});svg.appendChild(base);
      for(var q=1;q<=4;q++){var x=sc(p[q]);svg.appendChild(sv('line',{x1:x,x2:x,y1:y+RH/2-(q===1?10:6),y2:y+RH/2+(q===1?10:6),'class':'mk '+s[0],'data-series':s[0],'data-tip':t}))}}});
  svg.setAttribute('viewBox','0 0 '+W+' '+(top+SER.length*RH+20));
  hover(svg,function(t){return t.getAttribute&&t.getAttribute('data-tip')});
  sec.appendChild(svg);
  if(!f.hist)sec.appendChild(el('div','Logs Insights returns percentiles, not events: markers at p50, p90, p99 and max (--engine filter draws histograms)','muted'));
});
var rows=[];d.functions.forEach(function(f){[['init','init (cold starts)'],['restore','restore (SnapStart)'],['cold','cold duration'],['warm','warm duration (successful)'],['reinit','re-init init']].forEach(function(s){
  var p=f.pct[s[0]];if(p)rows.push([f.name,s[1],{t:String(p[0]),n:1},{t:fx(p[1]),n:1},{t:fx(p[2]),n:1},{t:fx(p[3]),n:1},{t:fx(p[4]),n:1}])})});
table('percentiles',['function','figure (ms)','n','p50','p90','p99','max'],rows);
table('cost',['function','cold starts','cold total ms','billed ms','cold-start cost','per cold start','price'],d.functions.map(function(f){
  return[f.name,{t:String(f.coldStarts),n:1},{t:fx(f.totalColdStartMs,1),n:1},{t:String(f.cost[1]),n:1},{t:f.cost[0],n:1},{t:f.cost[2],n:1},f.cost[3]]}));
list('skipped',d.skipped,'warn');list('notes',d.notes,'muted');
`;

function renderLogsHtml(report: LogsReport, sink: Sink): void {
  sink.write(pageStart('lambda-cold logs', STYLE));
  sink.write('<h1 id="title"></h1>\n<div id="meta" class="muted"></div>\n<div id="tip"></div>\n');
  sink.write('<h2>Cold vs warm, per function</h2>\n<div class="legend"><span class="init">■ init</span><span class="cold">■ cold duration</span><span class="warm">■ warm duration</span><span class="muted">log scale; bar heights per row; hover for the counts</span></div>\n');
  sink.write('<div id="functions"></div>\n<h2>Percentiles</h2>\n<table id="percentiles"></table>\n');
  sink.write('<h2>Cold-start cost</h2>\n<table id="cost"></table>\n<ul id="skipped"></ul>\n<ul id="notes"></ul>\n');
  writePageEnd(sink, logsHtmlData(report), SCRIPT);
}

export const renderer: Renderer<LogsReport> = { render: renderLogsHtml };
