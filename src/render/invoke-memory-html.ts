// `invoke --cold --memory … --html <file>`: the memory sweep as one self-contained page (./html-page.ts). Per
// size, a bar of the cold start split into its init p50 (with a whisker to the init p90) and its first call
// p50, the cold total, the warm p50 when --warm measured it and the cost per cold start / per million; the
// fastest and the recommended sizes marked; hovering a size shows its figures. Then the init-boost sentence,
// the recommendation, the table of rows of the terminal report (./invoke-memory-table.ts) and the notes.
// The figures travel as the JSON document has them (./invoke-memory-json.ts); every text is data, shown
// with textContent.
import { percent } from '../analysis/memory-sweep.js';
import { BASE_STYLE, pageStart, writePageEnd } from './html-page.js';
import type { InvokeMemoryReport } from './inputs.js';
import { costBasis, functionLine, recommendationSizes, restoredWord, sizeFailures, stopLines } from './invoke-memory-wording.js';
import type { Renderer } from './renderer.js';
import type { Sink } from './sink.js';


/** The page's data. */
export function invokeMemoryHtmlData(report: InvokeMemoryReport): Record<string, unknown> {
  const fn = report.function;
  const { sweep, requested } = report;
  const s = sweep.settings;
  const rec = sweep.recommendation;
  const run = [
    `--cold --memory: ${requested.sizesMB.length} size${requested.sizesMB.length === 1 ? '' : 's'} × ${requested.count} cold samples (${requested.concurrency} per update)` +
      (requested.warm ? ` + ${requested.warm} warm` : '') +
      `; ${report.forced.updates} configuration update${report.forced.updates === 1 ? '' : 's'}; memory size and environment ${restoredWord(report)}`,
  ];
  run.push(...stopLines(report));
  return {
    title: fn.functionName,
    meta: functionLine(report),
    run,
    coldRate: percent(s.coldRate),
    sizes: sweep.sizes.map((r) => ({
      mb: r.memorySizeMB,
      samples: r.coldSamples,
      init: r.initDurationMs ? [r.initDurationMs.p50, r.initDurationMs.p90] : null,
      first: r.firstCallMs ? [r.firstCallMs.p50, r.firstCallMs.p90] : null,
      total: r.coldTotalMs ? r.coldTotalMs.p50 : null,
      warm: r.warmDurationMs ? r.warmDurationMs.p50 : null,
      billed: r.billedMsPerColdStart,
      perColdStart: r.costPerColdStartUsd,
      perMillion: r.costPerMillionUsd,
    })),
    fastest: rec ? rec.fastestMemorySizeMB : null,
    recommended: rec ? rec.memorySizeMB : null,
    boost: sweep.initBoost.sentence,
    recommendation: rec
      ? [`Recommended: ${rec.memorySizeMB} MB (${recommendationSizes(rec, s.tolerance)})`, rec.reason]
      : ['Recommended: none (no size had a successful cold start)'],
    costNote:
      `ms: p50 over successful cold starts (first call: the cold invocation's Duration; cold total: init + first call), warm: --warm calls. ` + costBasis(sweep),
    notes: [...sweep.sizes.map(sizeFailures).filter((f): f is string => f !== null), ...report.notes],
  };
}

const STYLE = `${BASE_STYLE}
.init{fill:#2b6cb0}.first{fill:#e07b39}.whisker{stroke:#1a365d;stroke-width:1.5}.row-bg{fill:transparent}
g.recommended .row-bg{fill:#fff7d6}.mark{font-weight:bold;fill:#8a6d00}.fastest-mark{font-weight:bold;fill:#276749}
#chart [data-size]{cursor:default}
`;

// The chart: one <g data-size> per size (data-recommended / data-fastest when it is), holding a row
// background, the init bar (data-part init), the init p90 whisker (init-p90), the first-call bar (first),
// and its texts; one listener shows the tooltip of the size under the pointer.
const SCRIPT = `
function usd(x,k){return x==null?'-':'$'+x.toFixed(k)}
function p(a,k){return a?a[k]:null}
function figures(s){var t=[s.mb+' MB'+(s.mb===d.recommended?' · recommended':'')+(s.mb===d.fastest?' · fastest':'')];
  t.push('cold samples '+s.samples);
  t.push('init p50 '+ms(p(s.init,0))+' · p90 '+ms(p(s.init,1)));
  t.push('first call p50 '+ms(p(s.first,0))+' · p90 '+ms(p(s.first,1)));
  t.push('cold total p50 '+ms(s.total));
  if(s.warm!=null)t.push('warm p50 '+ms(s.warm));
  t.push('billed per cold start '+(s.billed==null?'-':s.billed.toFixed(0)+' ms'));
  t.push('per cold start '+usd(s.perColdStart,10)+' · per million ('+d.coldRate+' cold) '+usd(s.perMillion,4));
  return t.join('\\n')}
text('title',d.title);text('meta',d.meta);list('run',d.run);
var W=900,L=130,R=250,BH=48,top=24,hi=0;
d.sizes.forEach(function(s){hi=Math.max(hi,p(s.init,1)||0,(p(s.init,0)||0)+(p(s.first,0)||0),s.total||0)});
if(hi<=0)hi=1;
var step=Math.pow(10,Math.floor(Math.log10(hi/5))),m=[1,2,5,10].find(function(k){return hi/(k*step)<=6});step*=m;
var mx=Math.ceil(hi/step)*step,x=function(v){return L+(W-R-L)*Math.max(0,v)/mx};
var svg=sv('svg',{id:'bars'}),H=top+d.sizes.length*BH;
svg.setAttribute('viewBox','0 0 '+W+' '+(H+24));
for(var v=0;v<=mx+step/2;v+=step){svg.appendChild(sv('line',{x1:x(v),x2:x(v),y1:top-4,y2:H,'class':'grid'}));
  svg.appendChild(sv('text',{x:x(v),y:H+14,'text-anchor':'middle'},tickLabel(v)))}
svg.appendChild(sv('text',{x:W-R+10,y:top-8,'font-weight':'bold'},'cold total p50 · cost'));
d.sizes.forEach(function(s,k){
  var y=top+k*BH,a={'data-size':s.mb};
  if(s.mb===d.recommended){a['data-recommended']='true';a['class']='recommended'}
  if(s.mb===d.fastest)a['data-fastest']='true';
  var g=sv('g',a);svg.appendChild(g);
  g.appendChild(sv('rect',{x:0,y:y,width:W,height:BH-4,'class':'row-bg'}));
  g.appendChild(sv('text',{x:L-10,y:y+16,'text-anchor':'end','font-weight':'bold'},s.mb+' MB'));
  var marks=[];if(s.mb===d.recommended)marks.push(['recommended','mark']);if(s.mb===d.fastest)marks.push(['fastest','fastest-mark']);
  marks.forEach(function(mk,j){g.appendChild(sv('text',{x:L-10,y:y+29+j*12,'text-anchor':'end','class':mk[1]},mk[0]))});
  if(!s.init||!s.first){g.appendChild(sv('text',{x:L,y:y+16,'class':'muted'},'no successful cold start'));return}
  var x0=x(0),xi=x(s.init[0]),xf=x(s.init[0]+s.first[0]);
  g.appendChild(sv('rect',{x:x0,y:y+6,width:Math.max(xi-x0,0.5),height:16,'class':'init','data-part':'init'}));
  g.appendChild(sv('rect',{x:xi,y:y+6,width:Math.max(xf-xi,0.5),height:16,'class':'first','data-part':'first'}));
  var xw=x(s.init[1]);
  g.appendChild(sv('path',{d:'M'+xi+' '+(y+14)+'H'+xw+'M'+xw+' '+(y+9)+'V'+(y+19),'class':'whisker','data-part':'init-p90'}));
  g.appendChild(sv('text',{x:L,y:y+36,'class':'muted'},'init '+ms(s.init[0])+' + first call '+ms(s.first[0])+(s.warm!=null?' · warm p50 '+ms(s.warm):'')));
  g.appendChild(sv('text',{x:W-R+10,y:y+16,'font-weight':s.mb===d.fastest?'bold':'normal'},ms(s.total)));
  g.appendChild(sv('text',{x:W-R+10,y:y+30,'class':'muted'},usd(s.perColdStart,10)+' per cold start'));
  g.appendChild(sv('text',{x:W-R+10,y:y+42,'class':'muted'},usd(s.perMillion,4)+' per million'))});
document.getElementById('chart').appendChild(svg);
hover(svg,function(t){var g=t.closest&&t.closest('[data-size]');if(!g)return null;var mb=+g.getAttribute('data-size');
  return figures(d.sizes.filter(function(s){return s.mb===mb})[0])});
var lg=document.getElementById('legend');
[['init','init p50 (the whisker: init p90)'],['first','first call p50']].forEach(function(k){
  var s=el('span'),m=sv('svg',{width:14,height:12,viewBox:'0 0 14 12'});m.appendChild(sv('rect',{x:0,y:1,width:14,height:10,'class':k[0]}));
  s.appendChild(m);s.appendChild(document.createTextNode(' '+k[1]));lg.appendChild(s)});
lg.appendChild(el('span','hover a size for its figures','muted'));
text('boost',d.boost);
var rc=document.getElementById('recommendation');d.recommendation.forEach(function(t,i){rc.appendChild(el(i?'div':'strong',t))});
var n=function(v,k){return{t:v==null?'-':typeof v==='string'?v:fx(v,k),n:1}};
table('rows',['MB','','cold','init p50','init p90','first call','cold total','warm','billed ms per cold start','per cold start','per million ('+d.coldRate+' cold)'],
  d.sizes.map(function(s){return[{t:String(s.mb),n:1},(s.mb===d.recommended?'recommended ':'')+(s.mb===d.fastest?'fastest':''),n(s.samples,0),n(p(s.init,0),1),n(p(s.init,1),1),n(p(s.first,0),1),n(s.total,1),n(s.warm,1),n(s.billed,0),n(usd(s.perColdStart,10)),n(usd(s.perMillion,4))]}));
text('cost-note',d.costNote);
if(d.notes.length)list('notes',d.notes);else{var nh=document.getElementById('notes-h');nh.parentNode.removeChild(nh)}
`;

function renderInvokeMemoryHtml(report: InvokeMemoryReport, sink: Sink): void {
  sink.write(pageStart('lambda-cold invoke --memory', STYLE));
  sink.write('<h1 id="title"></h1>\n<div id="meta" class="muted"></div>\n<ul id="run"></ul>\n');
  sink.write('<h2>The cold start against memory size</h2>\n<div id="legend" class="legend"></div>\n<div id="chart"></div>\n<div id="tip"></div>\n');
  sink.write('<h2>Init boost</h2>\n<p id="boost"></p>\n<h2>Recommendation</h2>\n<div id="recommendation"></div>\n');
  sink.write('<h2>Sizes</h2>\n<table id="rows"></table>\n<p id="cost-note" class="muted"></p>\n');
  sink.write('<h2 id="notes-h">Notes</h2>\n<ul id="notes"></ul>\n');
  writePageEnd(sink, invokeMemoryHtmlData(report), SCRIPT);
}

export const renderer: Renderer<InvokeMemoryReport> = { render: renderInvokeMemoryHtml };
