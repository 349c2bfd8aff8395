// Renders a TimelineDoc (timeline.ts) as one self-contained HTML page: inline CSS and script, no
// network. Lanes and bands are laid out in a grid, one column per step; a state panel shows the
// full state of the selected step; arrow keys, Home and End move the selection.
import type { TimelineDoc } from './timeline.ts';

/** Break opportunities in CamelCase and snake_case names, so that boxes wrap between words. */
const wrap = (s: string): string =>
  esc(s)
    .replace(/([a-z])([A-Z])/g, '$1<wbr>$2')
    .replace(/_/g, '_<wbr>');

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A stable hue for a value, so that one holder keeps one colour along a band. */
function hue(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

const GROUP_COLOURS: Record<string, string> = { user: '#2563eb', fs: '#c2410c', writeback: '#15803d' };

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#111;background:#fafafa}
header{padding:12px 20px;background:#1f2937;color:#fff}
header h1{font-size:18px;margin:0 0 4px}
header .meta{font-size:12px;color:#cbd5e1}
.why{margin:12px 20px;padding:10px 14px;border-left:6px solid #dc2626;background:#fef2f2;font-size:15px}
.why b{color:#b91c1c}.why ul{margin:4px 0 0 18px;padding:0;font-size:13px}
.ending{margin:0 20px 8px;color:#7c2d12;font-weight:600}
.scroll{overflow-x:auto;margin:0 20px;border:1px solid #d1d5db;background:#fff}
.grid{display:grid;grid-auto-rows:minmax(26px,auto);position:relative}
.lbl{position:sticky;left:0;background:#f3f4f6;border-right:1px solid #d1d5db;padding:4px 8px;font-weight:600;z-index:2;white-space:nowrap;font-size:13px}
.lbl.band{font-weight:400;color:#374151;font-size:12px}
.hdr{font-size:11px;color:#6b7280;text-align:center;border-bottom:1px solid #e5e7eb;cursor:pointer;padding-top:4px}
.hdr.sel{background:#fde68a;color:#111;font-weight:700}
.col{border-left:1px dashed #eef0f3}
.col.sel{background:rgba(253,230,138,.35)}
.box{margin:3px;padding:3px 5px;border-radius:6px;border:2px solid var(--c);background:#fff;font-size:11px;cursor:pointer;z-index:1;overflow:hidden}
.box .a{font-weight:700;color:var(--c);font-size:11.5px;overflow-wrap:anywhere}
.box .k{font-family:ui-monospace,monospace;color:#374151;font-size:10.5px;overflow-wrap:anywhere}
.seg.alarm{background:#dc2626!important;color:#fff;font-weight:700}
.box .d{color:#4b5563}
.box.sel{box-shadow:0 0 0 3px #f59e0b}
.box.bad{background:#fee2e2;border-color:#dc2626;border-width:3px}
.box.bad .a{color:#b91c1c}
.tch{display:inline-block;margin:1px 2px 0 0;padding:0 4px;border-radius:8px;background:#111827;color:#fff;font-size:10px;font-family:ui-monospace,monospace}
.seg{margin:3px 1px;border-radius:4px;font-size:11px;padding:1px 6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:#111;z-index:1}
.sep{grid-column:1/-1;border-top:2px solid #9ca3af;font-size:11px;color:#6b7280;padding:2px 8px;background:#f9fafb}
.panel{margin:12px 20px 30px;display:grid;grid-template-columns:minmax(300px,1fr) minmax(300px,1fr);gap:16px}
.panel h2{font-size:15px;margin:0 0 6px}
.panel table{border-collapse:collapse;width:100%;font-family:ui-monospace,monospace;font-size:12px;background:#fff}
.panel td{border-bottom:1px solid #eee;padding:2px 6px;vertical-align:top;word-break:break-all}
.panel tr.chg td{background:#fef9c3;font-weight:700}
.panel tr.chg td:first-child::before{content:"● ";color:#ca8a04}
.panel .changes div{font-family:ui-monospace,monospace;font-size:12px}
.hint{font-size:12px;color:#6b7280;margin:4px 20px}
`;

const SCRIPT = `
const doc=JSON.parse(document.getElementById('timeline-data').textContent);
let sel=0;
function show(i){
  sel=Math.max(0,Math.min(doc.steps.length-1,i));
  const s=doc.steps[sel];
  document.querySelectorAll('.sel').forEach(e=>e.classList.remove('sel'));
  document.querySelectorAll('[data-step="'+s.index+'"]').forEach(e=>e.classList.add('sel'));
  document.getElementById('step-title').textContent='State '+s.index+' — '+s.action+(s.lane?' by '+s.lane:'')+(s.detail?' ('+s.detail+')':'')+(s.note?'  ['+s.note+']':'');
  const tb=document.getElementById('state');tb.textContent='';
  for(const v of s.state){const tr=document.createElement('tr');if(v.changed)tr.className='chg';
    const a=document.createElement('td');a.textContent=v.name;const b=document.createElement('td');b.textContent=v.value;tr.append(a,b);tb.append(tr);}
  const ch=document.getElementById('changes');ch.textContent='';
  for(const c of (s.changes.length?s.changes:['(no variable changes)'])){const d=document.createElement('div');d.textContent=c;ch.append(d);}
  const box=document.querySelector('.box[data-step="'+s.index+'"]')||document.querySelector('.hdr[data-step="'+s.index+'"]');
  if(box)box.scrollIntoView({block:'nearest',inline:'nearest'});
  document.body.dataset.selected=String(s.index);
}
document.addEventListener('keydown',e=>{
  if(e.key==='ArrowRight'){show(sel+1);e.preventDefault();}
  else if(e.key==='ArrowLeft'){show(sel-1);e.preventDefault();}
  else if(e.key==='Home'){show(0);e.preventDefault();}
  else if(e.key==='End'){show(doc.steps.length-1);e.preventDefault();}
});
document.querySelectorAll('[data-step]').forEach(e=>e.addEventListener('click',()=>show(doc.steps.findIndex(s=>String(s.index)===e.dataset.step))));
const hl=doc.highlight?doc.steps.findIndex(s=>s.index===doc.highlight.step):-1;
show(hl>=0?hl:doc.steps.length-1);
`;

/** The page as one HTML string (UTF-8, no external resources). */
export function renderTimelineHtml(doc: TimelineDoc): string {
  const n = doc.steps.length;
  const col = (i: number): number => i + 2; // grid column of step i (0-based); column 1 holds labels
  const cells: string[] = [];
  let row = 1;
  cells.push(`<div class="lbl" style="grid-row:${row};grid-column:1">step</div>`);
  doc.steps.forEach((s, i) => {
    cells.push(
      `<div class="hdr" data-step="${s.index}" style="grid-row:${row};grid-column:${col(i)}">${s.index}${s.lane ? '' : `<br>${esc(s.action)}`}</div>`,
    );
  });
  const firstBody = row + 1;
  const laneRow = new Map<string, number>();
  for (const lane of doc.lanes) {
    row++;
    laneRow.set(lane.id, row);
    const c = GROUP_COLOURS[lane.group] ?? '#6b7280';
    cells.push(`<div class="lbl" style="grid-row:${row};grid-column:1;color:${c}">${esc(lane.label)}</div>`);
  }
  doc.steps.forEach((s, i) => {
    const r = s.lane ? laneRow.get(s.lane) : undefined;
    if (r === undefined) return;
    const group = doc.lanes.find((l) => l.id === s.lane)?.group ?? '';
    const bad = doc.highlight?.step === s.index ? ' bad' : '';
    const touches = s.touches.map((t) => `<span class="tch">${esc(t)}</span>`).join('');
    cells.push(
      `<div class="box${bad}" data-step="${s.index}" data-lane="${esc(s.lane!)}" title="${esc(`${s.action}: ${s.title}`)}" style="grid-row:${r};grid-column:${col(i)};--c:${GROUP_COLOURS[group] ?? '#6b7280'}">` +
        `<div class="a">${wrap(s.action)}</div>${s.note ? `<div class="k">${wrap(s.note)}</div>` : ''}${s.detail ? `<div class="d">${esc(s.detail)}</div>` : ''}${touches}</div>`,
    );
  });
  row++;
  cells.push(`<div class="sep" style="grid-row:${row}">locks, pins and blocks over time</div>`);
  for (const band of doc.bands) {
    row++;
    cells.push(`<div class="lbl band" style="grid-row:${row};grid-column:1">${esc(band.label)}</div>`);
    let i = 0;
    while (i < n) {
      const v = band.values[i] ?? '';
      let j = i + 1;
      while (j < n && band.values[j] === v) j++;
      const alarm = band.alarms?.includes(v) ? ' alarm' : '';
      if (v)
        cells.push(
          `<div class="seg${alarm}" title="${esc(`${band.label}: ${v} (states ${doc.steps[i]!.index}–${doc.steps[j - 1]!.index})`)}" style="grid-row:${row};grid-column:${col(i)}/${col(j)};background:hsl(${hue(v)} 70% 82%)">${esc(v)}</div>`,
        );
      i = j;
    }
  }
  // Column backgrounds, under everything, for the selection.
  doc.steps.forEach((s, i) =>
    cells.unshift(`<div class="col" data-step="${s.index}" style="grid-row:${firstBody}/${row + 1};grid-column:${col(i)}"></div>`),
  );
  const hl = doc.highlight;
  const data = JSON.stringify({ steps: doc.steps, highlight: hl ?? null }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${esc(doc.title)}</title><style>${CSS}</style></head>
<body>
<header><h1>${esc(doc.title)}</h1><div>${esc(doc.subtitle)}</div><div class="meta">${doc.meta.map(([k, v]) => `${esc(k)}: ${esc(v)}`).join(' · ')}</div></header>
${hl ? `<div class="why" id="why"><b>Why it failed (state ${hl.step}):</b> ${esc(hl.text)}${hl.more.length ? `<ul>${hl.more.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : ''}</div>` : ''}
${doc.ending ? `<div class="ending">${esc(doc.ending)}</div>` : ''}
<div class="scroll"><div class="grid" id="timeline" style="grid-template-columns:150px repeat(${n},minmax(84px,1fr))">
${cells.join('\n')}
</div></div>
<div class="hint">← → move between steps, Home / End jump to the first / last; click a box or a step number.</div>
<div class="panel"><div><h2 id="step-title"></h2><table><tbody id="state"></tbody></table></div><div><h2>Changes in this step</h2><div class="changes" id="changes"></div></div></div>
<script type="application/json" id="timeline-data">${data}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
