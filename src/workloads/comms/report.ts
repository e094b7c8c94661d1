/**
 * The staff officer's report: one self-contained HTML file (inline CSS and SVG, no script, no network) with the
 * language mix, sentiment over time by channel, the most positive and negative messages and the terms that
 * moved. Every chart has its numbers in a table beside it for screen readers and for copying.
 */
import { findLanguage } from "./languages.ts";
import type { CorpusSummary, QuotedMessage, TermShift } from "./summary.ts";

const esc = (s: string) => s.replace(/[&<>"']/gu, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
const langName = (code: string) => (code === "und" ? "undetermined" : findLanguage(code)?.name ?? code);
const pct = (n: number, total: number) => (total === 0 ? "0%" : `${Math.round((100 * n) / total)}%`);
// Colour-blind-safe palette (Okabe–Ito); lines also differ by dash pattern.
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

function languageChart(s: CorpusSummary): string {
  const rows = s.languages.slice(0, 15);
  const max = Math.max(1, ...rows.map((r) => r.count));
  const h = 24 * rows.length + 10;
  const bars = rows.map((r, i) => {
    const w = Math.max(2, Math.round((r.count / max) * 420));
    return `<text x="150" y="${24 * i + 21}" text-anchor="end">${esc(langName(r.language))} (${esc(r.language)})</text>` +
      `<rect x="160" y="${24 * i + 6}" width="${w}" height="18" fill="#0072B2"/>` +
      `<text x="${166 + w}" y="${24 * i + 21}">${r.count} · ${pct(r.count, s.messages)}</text>`;
  }).join("");
  return `<svg role="img" aria-labelledby="lang-title" viewBox="0 0 700 ${h}" width="700" height="${h}"><title id="lang-title">Messages by language</title>${bars}</svg>`;
}

function labelBar(s: CorpusSummary): string {
  const total = Math.max(1, s.messages);
  let x = 0;
  const parts = (["negative", "neutral", "positive"] as const).map((k) => {
    const w = (s.labels[k] / total) * 680;
    const colour = { negative: "#D55E00", neutral: "#999999", positive: "#009E73" }[k];
    const out = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="28" fill="${colour}"/>` +
      (w > 60 ? `<text x="${(x + 6).toFixed(1)}" y="19" fill="#fff">${k} ${pct(s.labels[k], s.messages)}</text>` : "");
    x += w;
    return out;
  }).join("");
  return `<svg role="img" aria-labelledby="label-title" viewBox="0 0 700 30" width="700" height="30"><title id="label-title">Share of messages by sentiment</title>${parts}</svg>`;
}

function seriesChart(s: CorpusSummary): string {
  const days = [...new Set(s.series.flatMap((c) => c.points.map((p) => p.day)))].sort();
  if (days.length === 0) return `<p>No message carries a time, so there is no series.</p>`;
  const W = 700, H = 260, L = 50, R = 20, T = 15, B = 40;
  const x = (d: string) => L + (days.length === 1 ? (W - L - R) / 2 : (days.indexOf(d) / (days.length - 1)) * (W - L - R));
  const y = (v: number) => T + ((1 - v) / 2) * (H - T - B);
  const grid = [-1, -0.5, 0, 0.5, 1].map((v) => `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? "#555" : "#ddd"}"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`).join("");
  const step = Math.max(1, Math.ceil(days.length / 8));
  const ticks = days.map((d, i) => (i % step === 0 || i === days.length - 1 ? `<text x="${x(d)}" y="${H - B + 18}" text-anchor="middle">${esc(d.slice(5))}</text>` : "")).join("");
  const lines = s.series.map((c, i) => {
    const colour = COLOURS[i % COLOURS.length] as string, dash = DASHES[i % DASHES.length] as string;
    const pts = c.points.map((p) => `${x(p.day).toFixed(1)},${y(p.mean).toFixed(1)}`).join(" ");
    const dots = c.points.map((p) => `<circle cx="${x(p.day).toFixed(1)}" cy="${y(p.mean).toFixed(1)}" r="3" fill="${colour}"><title>${esc(c.channel)} ${esc(p.day)}: ${p.mean} (${p.n} messages)</title></circle>`).join("");
    return `<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ""}/>${dots}`;
  }).join("");
  const legend = s.series.map((c, i) => `<span class="key"><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="${COLOURS[i % COLOURS.length]}" stroke-width="2"${DASHES[i % DASHES.length] ? ` stroke-dasharray="${DASHES[i % DASHES.length]}"` : ""}/></svg> ${esc(c.channel)}</span>`).join(" ");
  return `<svg role="img" aria-labelledby="series-title" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><title id="series-title">Mean sentiment per day by channel, from −1 (negative) to 1 (positive)</title>${grid}${ticks}${lines}</svg><p class="legend">${legend}</p>`;
}

function seriesTable(s: CorpusSummary): string {
  const rows = s.series.flatMap((c) => c.points.map((p) => `<tr><td>${esc(c.channel)}</td><td>${esc(p.day)}</td><td>${p.n}</td><td>${p.mean}</td><td>${p.positive}</td><td>${p.negative}</td></tr>`)).join("");
  return rows ? `<details><summary>Series as a table</summary><table><thead><tr><th>channel</th><th>day</th><th>messages</th><th>mean</th><th>positive</th><th>negative</th></tr></thead><tbody>${rows}</tbody></table></details>` : "";
}

function quotes(list: QuotedMessage[], empty: string): string {
  if (list.length === 0) return `<p>${empty}</p>`;
  return `<table><thead><tr><th>score</th><th>message</th><th>language</th><th>channel</th><th>time</th><th>author</th></tr></thead><tbody>${list.map((q) =>
    `<tr><td class="num">${q.score}</td><td lang="${esc(findLanguage(q.language)?.iso1 ?? "")}">${esc(q.text)}</td><td>${esc(q.language)}</td><td>${esc(q.channel ?? "")}</td><td>${esc(q.time?.slice(0, 16).replace("T", " ") ?? "")}</td><td><code>${esc(q.author ?? "")}</code></td></tr>`).join("")}</tbody></table>`;
}

function terms(list: TermShift[], empty: string): string {
  if (list.length === 0) return `<p>${empty}</p>`;
  return `<table><thead><tr><th>term</th><th>earlier half</th><th>later half</th><th>change (log₂ of share)</th></tr></thead><tbody>${list.map((t) =>
    `<tr><td>${esc(t.term)}</td><td class="num">${t.before}</td><td class="num">${t.after}</td><td class="num">${t.change > 0 ? "+" : ""}${t.change}</td></tr>`).join("")}</tbody></table>`;
}

const CSS = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:760px;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #0072B2}
.meta{color:#555}.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:4px;padding:.5rem 1rem;min-width:120px}
.card b{display:block;font-size:1.4rem}table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top}.num{text-align:right;white-space:nowrap}
svg text{font-size:12px;fill:#1b1b1b}.legend{font-size:.9rem}.key{margin-right:1rem;white-space:nowrap}
.note{background:#f3f6f9;border-left:4px solid #0072B2;padding:.5rem 1rem}.split{display:grid;grid-template-columns:1fr 1fr;gap:1rem}`;

export interface ReportOptions { title?: string; generatedAt?: Date }

/** Renders the summary as one HTML document. */
export function renderReport(s: CorpusSummary, opts: ReportOptions = {}): string {
  const title = opts.title ?? "Communications analysis";
  const when = (opts.generatedAt ?? new Date()).toISOString().slice(0, 16).replace("T", " ");
  const official = s.officialAccounts.length === 0 ? "" :
    `<h2>Official accounts</h2><table><thead><tr><th>account</th><th>messages</th><th>mean sentiment</th></tr></thead><tbody>${s.officialAccounts.map((o) => `<tr><td>${esc(o.account)}</td><td class="num">${o.messages}</td><td class="num">${o.mean}</td></tr>`).join("")}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
<h1>${esc(title)}</h1>
<p class="meta">Generated ${esc(when)} UTC · purpose: ${esc(s.purpose)} · AI-generated analysis: check before acting on it.</p>
<div class="cards"><div class="card"><b>${s.messages}</b>messages</div><div class="card"><b>${s.languages.length}</b>languages</div>
<div class="card"><b>${pct(s.labels.negative, s.messages)}</b>negative</div><div class="card"><b>${s.malformed}</b>malformed records skipped</div>${s.translated + s.untranslated > 0 ? `<div class="card"><b>${s.translated}</b>translated</div>` : ""}</div>
<h2>Sentiment</h2>${labelBar(s)}
<h2>Language mix</h2>${languageChart(s)}
<h2>Sentiment over time by channel</h2>${seriesChart(s)}${seriesTable(s)}
<h2>Most positive messages</h2>${quotes(s.mostPositive, "No positive message.")}
<h2>Most negative messages</h2>${quotes(s.mostNegative, "No negative message.")}
<h2>Terms that moved</h2><p>Share of messages mentioning a term in the later half of the period against the earlier half.</p>
<div class="split"><div><h3>Rising</h3>${terms(s.rising, "None.")}</div><div><h3>Falling</h3>${terms(s.falling, "None.")}</div></div>
${official}
<h2>About this report</h2><p class="note">This report analyses messages, not people. Authors appear only as pseudonyms keyed for this analysis alone: the same pseudonym in another report is a different person, and no table groups or ranks authors${s.officialAccounts.length > 0 ? " other than the official accounts listed above" : ""}. Sentiment comes from word lists with negation and intensity rules; language identification abstains (“und”) on text too short or mixed to tell.</p>
</main></body></html>
`;
}
