// What every HTML page (profile-html.ts, invoke-html.ts, logs-html.ts) shares: the page shell with its
// Content-Security-Policy (only what is inline: no network, opens from file://), the data as JSON in a
// <script type="application/json"> that no text can end early, and a small client library (DOM built with
// textContent only, never innerHTML; a tooltip; tables, a cell `{t, n}` right-aligned or `{t, c}` with a class;
// log-scale SVG axes for the charts).
import type { Sink } from './sink.js';

/** JSON that cannot end the <script> element or open markup, and that parses the same in every browser. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** No network: a policy that allows only what is inline. */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/** From the doctype to the opening <body>: charset, the policy, the title (plain text: escaped), the style. */
export function pageStart(title: string, style: string): string {
  const text = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">\n` +
    `<title>${text}</title>\n<style>${style}</style>\n</head>\n<body>\n`
  );
}

/** The data (id "data"), the page's script after the shared library, and the end of the page. */
export function writePageEnd(sink: Sink, data: unknown, script: string): void {
  sink.write(`<script type="application/json" id="data">${scriptJson(data)}</script>\n`);
  sink.write(`<script>(function(){\n${PAGE_LIB}\n${script}\n})();</script>\n</body>\n</html>\n`);
}

/** The style every page starts from (each adds its own after it). */
export const BASE_STYLE = `
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:20px 0 6px}h3{font-size:14px;margin:14px 0 4px}
.muted{color:#666}.warn{color:#a15c00}
#tip{position:fixed;pointer-events:none;background:#222;color:#fff;padding:4px 6px;border-radius:3px;font-size:12px;display:none;white-space:pre;z-index:9}
table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #eee}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg{display:block;width:100%;max-width:960px;height:auto;font-size:11px}
svg text{fill:#444}.axis{stroke:#999;stroke-width:1}.grid{stroke:#eee;stroke-width:1}
.legend{margin:4px 0}.legend span{display:inline-block;margin-right:14px}.legend svg{display:inline;width:auto;vertical-align:middle}
ul{margin:4px 0;padding-left:20px}
`;

// The shared client library: plain DOM, textContent only, no network. `d` is the page's data.
const PAGE_LIB = `
var d=JSON.parse(document.getElementById('data').textContent);
var NS='http://www.w3.org/2000/svg';
function el(t,txt,cls){var e=document.createElement(t);if(txt!=null)e.textContent=txt;if(cls)e.className=cls;return e}
function sv(t,a,txt){var e=document.createElementNS(NS,t);for(var k in a)e.setAttribute(k,a[k]);if(txt!=null)e.textContent=txt;return e}
function fx(x,k){return x==null?'-':x.toFixed(k==null?2:k)}
function ms(x){return x==null?'-':x<10?x.toFixed(2)+' ms':x<1000?x.toFixed(1)+' ms':(x/1000).toFixed(2)+' s'}
function text(id,t){var e=document.getElementById(id);if(e)e.textContent=t}
var tip=document.getElementById('tip');
// beside the pointer, kept inside the window
function showTip(e,t){tip.textContent=t;tip.style.display='block';var w=tip.offsetWidth,x=e.clientX+12;if(x+w>innerWidth-4)x=Math.max(4,e.clientX-12-w);tip.style.left=x+'px';tip.style.top=(e.clientY+12)+'px'}
function hideTip(){tip.style.display='none'}
function hover(node,textOf){node.addEventListener('mousemove',function(e){var t=textOf(e.target);if(t)showTip(e,t);else hideTip()});node.addEventListener('mouseleave',hideTip)}
function table(id,head,rows){var t=document.getElementById(id);if(!rows.length){t.parentNode.replaceChild(el('p','none','muted'),t);return}
  var tr=el('tr');head.forEach(function(h){tr.appendChild(el('th',h))});t.appendChild(tr);
  rows.forEach(function(r){var tr=el('tr');r.forEach(function(c){tr.appendChild(el('td',c!=null&&c.t!=null?c.t:c,c==null?null:c.n?'n':c.c||null))});t.appendChild(tr)})}
function list(id,items,cls){var u=document.getElementById(id);items.forEach(function(s){u.appendChild(el('li',s,cls))})}
function logScale(lo,hi,x0,x1){
  lo=Math.pow(10,Math.floor(Math.log10(Math.max(lo,0.01))));hi=Math.pow(10,Math.ceil(Math.log10(Math.max(hi,lo*1.01))));
  var a=Math.log10(lo),b=Math.log10(hi);
  var f=function(v){return x0+(x1-x0)*(Math.log10(Math.min(Math.max(v,lo),hi))-a)/(b-a)};
  f.ticks=function(){var t=[];for(var p=a;p<=b;p++){[1,2,5].forEach(function(m){var v=m*Math.pow(10,p);if(v>=lo*0.999&&v<=hi*1.001)t.push(v)})}return t};
  f.lo=lo;f.hi=hi;
  return f}
function tickLabel(v){return v>=1000?(v/1000)+' s':v+' ms'}
function axis(g,sc,y,top){sc.ticks().forEach(function(v){var x=sc(v);g.appendChild(sv('line',{x1:x,x2:x,y1:top,y2:y,'class':'grid'}));g.appendChild(sv('text',{x:x,y:y+13,'text-anchor':'middle'},tickLabel(v)))});
  g.appendChild(sv('line',{x1:sc(0),x2:sc(1e12),y1:y,y2:y,'class':'axis'}))}
`;
