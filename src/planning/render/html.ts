import type { Plan, PlanAssignment } from '../plan.js';
import {
  describeOccurrence,
  formatClock,
  getLastEnd,
  getOccurrenceGroups,
  getRingOrder,
  type OccurrenceGroup,
} from './occurrences.js';
import { type PlanLabel, renderPlanSummary } from './text.js';

/** Above this many jobs an occurrence's drill-down shows its table only, without per-job bars. */
const MAX_BARS_PER_OCCURRENCE = 300;
const WIDTH = 1000;
const LABEL = 170;
const ROW = 26;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d2430}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.5rem}.summary{color:#444;white-space:pre-line}
svg{max-width:100%;height:auto;background:#fafbfc;border:1px solid #dde}
.grid{stroke:#e3e6ea}.tick{font-size:10px;fill:#667}.row{font-size:12px;fill:#223}
.bar{fill:#3b7dd8}.bar:hover{fill:#1f5fb8}.frozen{fill:#c9a227}.job{fill:#5b9a5b}.job:hover{fill:#2f6f2f}
details{border-bottom:1px solid #e3e6ea;padding:.3rem 0}details>div{content-visibility:auto}
summary{cursor:pointer}table{border-collapse:collapse;margin:.4rem 0;font-size:12px}
td,th{border:1px solid #dde;padding:2px 6px;vertical-align:top;text-align:left}td.why{color:#445;max-width:60rem}
#filter{padding:.3rem;width:20rem;margin:.5rem 0}`;

// Filters the drill-down tables by asset, ring or package text and opens the occurrences that match;
// a bar's link opens its occurrence.
const SCRIPT = `document.getElementById('filter').addEventListener('input',function(e){var q=e.target.value.toLowerCase();
document.querySelectorAll('details.occ').forEach(function(d){var n=0;d.querySelectorAll('tbody tr').forEach(function(r){
var m=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.style.display=m?'':'none';if(m)n++});d.open=!!q&&n>0;
d.style.display=q&&n===0?'none':''})});
function openHash(){var d=document.getElementById(location.hash.slice(1));if(d&&d.tagName==='DETAILS')d.open=true}
addEventListener('hashchange',openHash);openHash();`;

/** x position of an instant on the horizon axis. */
function makeScale(from: number, to: number, left: number, width: number) {
  const span = Math.max(1, to - from);
  return (iso: string) => left + ((Date.parse(iso) - from) / span) * width;
}

/** The reasons most jobs of a bar share, for its tooltip (per-job figures like risk are left out). */
function getCommonReasons(assignments: readonly PlanAssignment[]): string[] {
  const counts = new Map<string, number>();
  for (const a of assignments)
    for (const r of a.reasons.slice(1)) {
      if (/^(risk rate|within SLA|SLA breached)/.test(r)) continue;
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([r, n]) => (n === assignments.length ? r : `${r} (${n} of ${assignments.length})`));
}

/** Overview: one row per ring, one bar per window occurrence, linking to its drill-down. */
function renderOverview(plan: Plan, groups: readonly OccurrenceGroup[]): string {
  const rings = getRingOrder(plan);
  const frozen = plan.frozen ?? [];
  const rows = [...rings, ...(frozen.length > 0 ? ['frozen'] : [])];
  const height = 30 + rows.length * ROW;
  const from = Date.parse(plan.createdAt);
  const to = Date.parse(plan.horizonEnd);
  const x = makeScale(from, to, LABEL, WIDTH - LABEL - 10);
  const parts: string[] = [];
  const days = (to - from) / 86_400_000;
  const step = days > 62 ? 7 : 1;
  const labelEvery = Math.max(1, Math.ceil(days / step / 20)); // about 20 labels across
  for (let d = 0, i = 0; d <= days; d += step, i++) {
    const t = new Date(Math.floor(from / 86_400_000 + d) * 86_400_000).toISOString();
    const px = x(t).toFixed(1);
    if (Number(px) < LABEL) continue;
    parts.push(`<line class="grid" x1="${px}" x2="${px}" y1="18" y2="${height}"/>`);
    if (i % labelEvery === 0) parts.push(`<text class="tick" x="${px}" y="12">${t.slice(5, 10)}</text>`);
  }
  rows.forEach((ring, i) => {
    parts.push(`<text class="row" x="6" y="${30 + i * ROW + 13}">${escapeHtml(ring)}</text>`);
  });
  groups.forEach((group, g) => {
    for (const { ring, assignments } of group.rings) {
      const y = 24 + rings.indexOf(ring) * ROW;
      const x1 = x(assignments[0]?.start ?? group.firstStart);
      const x2 = Math.max(x1 + 3, x(getLastEnd(assignments)));
      const title = [
        `${ring} · ${describeOccurrence(group.occurrence)}: ${assignments.length} job(s)`,
        ...getCommonReasons(assignments),
        `jobs: ${assignments
          .slice(0, 12)
          .map((a) => a.assetId)
          .join(', ')}${assignments.length > 12 ? ', …' : ''}`,
      ].join('\n');
      parts.push(
        `<a href="#occ-${g}"><rect class="bar" x="${x1.toFixed(1)}" y="${y}" width="${(x2 - x1).toFixed(1)}" height="${ROW - 8}"><title>${escapeHtml(title)}</title></rect></a>`,
      );
    }
  });
  for (const f of frozen) {
    const y = 24 + rings.length * ROW;
    const title = `${f.windowId} on ${f.start.slice(0, 16).replace('T', ' ')} UTC frozen by '${f.freezeId}' (groups ${f.groups.join(', ')})`;
    parts.push(
      `<rect class="frozen" x="${x(f.start).toFixed(1)}" y="${y}" width="4" height="${ROW - 8}"><title>${escapeHtml(title)}</title></rect>`,
    );
  }
  return `<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="plan overview">${parts.join('')}</svg>`;
}

/** Per-job bars inside one occurrence: rows are lanes (hosts patched at once). */
function renderOccurrenceBars(group: OccurrenceGroup): string {
  const jobs = group.rings.flatMap((r) => r.assignments);
  const laneEnds: string[] = [];
  const placed = jobs.map((a) => {
    let lane = laneEnds.findIndex((end) => end <= a.start);
    if (lane < 0) lane = laneEnds.push(a.end) - 1;
    else laneEnds[lane] = a.end;
    return { a, lane };
  });
  const o = group.occurrence;
  const x = makeScale(Date.parse(o.start), Date.parse(o.end), 50, WIDTH - 60);
  const height = 24 + laneEnds.length * 14;
  const parts = [
    `<text class="tick" x="50" y="12">${formatClock(o.start, o.timezone)}</text>`,
    `<text class="tick" x="${WIDTH - 40}" y="12">${formatClock(o.end, o.timezone)}</text>`,
  ];
  for (const { a, lane } of placed) {
    const x1 = x(a.start);
    const width = Math.max(2, x(a.end) - x1);
    const title = `${a.assetId} [${a.ring}] ${formatClock(a.start, o.timezone)}–${formatClock(a.end, o.timezone)}\n${a.reasons.join('\n')}`;
    parts.push(
      `<rect class="job" x="${x1.toFixed(1)}" y="${18 + lane * 14}" width="${width.toFixed(1)}" height="11"><title>${escapeHtml(title)}</title></rect>`,
    );
  }
  return `<svg viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">${parts.join('')}</svg>`;
}

function renderOccurrence(group: OccurrenceGroup, g: number): string {
  const o = group.occurrence;
  const rings = group.rings.map((r) => `${r.ring} ${r.assignments.length}`).join(', ');
  const rows = group.rings
    .flatMap((r) => r.assignments)
    .map(
      (a) =>
        `<tr><td>${formatClock(a.start, o.timezone)}–${formatClock(a.end, o.timezone)}</td><td>${escapeHtml(a.ring)}</td><td>${escapeHtml(a.assetId)}</td><td>${escapeHtml(a.packages.join(' '))}</td><td class="why">${escapeHtml(a.reasons.join('; '))}</td></tr>`,
    );
  const bars = group.jobCount <= MAX_BARS_PER_OCCURRENCE ? renderOccurrenceBars(group) : '';
  return `<details class="occ" id="occ-${g}"><summary>${escapeHtml(describeOccurrence(o))} — ${group.jobCount} job(s) (${escapeHtml(rings)})</summary><div>${bars}<table><thead><tr><th>time</th><th>ring</th><th>asset</th><th>packages</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`;
}

/**
 * A self-contained HTML Gantt (inline CSS and SVG, no external assets): an overview with a row per
 * ring and a bar per window occurrence (tooltips give the shared reasons), then one collapsible
 * drill-down per occurrence with per-job bars and a table of every job and its reasons. Stays usable
 * at 10,000 jobs: the overview aggregates, and the details render only when opened.
 */
export function renderPlanHtml(plan: Plan, label: PlanLabel = {}): string {
  const groups = getOccurrenceGroups(plan);
  const title = `patchcast plan ${label.id ?? '(dry run)'}`;
  const unscheduled = plan.unscheduled.map(
    (u) =>
      `<tr><td>${escapeHtml(u.ring)}</td><td>${escapeHtml(u.assetId)}</td><td class="why">${escapeHtml(u.reason)}</td></tr>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="summary">${escapeHtml(renderPlanSummary(plan, label).join('\n'))}</p>
<h2>Timeline</h2>
${renderOverview(plan, groups)}
<h2>Window occurrences</h2>
<input id="filter" type="search" placeholder="filter by asset, ring or package">
${groups.map(renderOccurrence).join('\n')}
${unscheduled.length > 0 ? `<h2>Not in the horizon</h2><table><thead><tr><th>ring</th><th>asset</th><th>why</th></tr></thead><tbody>${unscheduled.join('')}</tbody></table>` : ''}
<script>${SCRIPT}</script>
</body></html>
`;
}
