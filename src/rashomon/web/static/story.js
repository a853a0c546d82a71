// The story page: the cited brief, coverage at a glance (who reported first, who copied whom, which claims
// each outlet carries), sources side by side by family, quotes by speaker with their wording differences,
// the claims table, the timeline chart, events and entities. Renders whatever the contract object holds;
// every section says so plainly when its list is empty. ``options.changes`` (from a live update) marks
// what is new: sources, claims and disagreements.

import { api, confirmButton, editForm, fmtDate, h, parseDate, plural, s, sourceName, wordDiff } from "./dom.js";

const NO_CHANGES = { articles: new Set(), claims: new Set(), differences: new Set() };

export function renderStory(data, focus, options = {}) {
  const story = (data.stories || [])[0] || { id: "", title: "(untitled story)", article_ids: [], families: [] };
  const ctx = makeContext(data, story, options.changes || NO_CHANGES, options.onChange || (() => {}));
  const sections = [
    ["brief", "Brief", briefSection(data, story, ctx)],
    ["coverage", "Coverage", coverageSection(data, ctx)],
    ["differences", "Differences", differencesSection(data, ctx)],
    ["sources", "Sources", sourcesSection(data, story, ctx)],
    ["quotes", "Quotes", quotesSection(data, ctx)],
    ["claims", "Claims", claimsSection(data, ctx)],
    ["timeline", "Timeline", timelineSection(data, ctx)],
    ["events", "Events", eventsSection(data, ctx)],
    ["entities", "Entities", entitiesSection(data, ctx)],
  ];
  const outlets = [...new Set(data.articles.map((a) => a.outlet).filter(Boolean))];
  const exportLink = (format, label) => h("a", { class: "button-link", download: "",
    href: `/api/stories/${encodeURIComponent(story.id)}/export?format=${format}` }, label);
  const page = h("article", { class: "story", "data-story": story.id },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "All stories")),
    h("h1", { class: "story-title" }, story.title || "(untitled story)"),
    h("p", { class: "story-meta" },
      story.date ? h("time", { datetime: story.date }, fmtDate(story.date)) : null,
      h("span", { class: "pill sources-count" }, plural(story.independent_sources || 0, "independent source")),
      h("span", { class: "pill article-count", "data-count": data.articles.length }, plural(data.articles.length, "article")),
      outlets.length ? h("span", { class: "outlets" }, outlets.join(" · ")) : null),
    h("p", { class: "thread-line", hidden: true }),
    h("div", { class: "story-actions" },
      h("span", { class: "small muted" }, "Export this story: "), exportLink("md", "Markdown"),
      exportLink("json", "JSON"), exportLink("html", "HTML page"),
      h("span", { class: "live-status small muted", role: "status" }, options.live ? "Live: updates as reports arrive" : "")),
    options.notice || null,
    languageNotes(data.articles),
    h("nav", { class: "toc", "aria-label": "Sections" },
      sections.map(([id, label]) => h("a", { href: `#/story/${encodeURIComponent(story.id)}/section/${id}` }, label))),
    sections.map(([id, label, body]) => h("section", { id: "sec-" + id, class: "block" }, h("h2", {}, label), body)));
  if (story.id && options.thread !== false) fillThread(page.querySelector(".thread-line"), story.id);
  if (focus) requestAnimationFrame(() => focusTarget(page, focus));
  return page;
}

// The thread the story belongs to, if any: where it stands in it, and its neighbours.
async function fillThread(node, storyId) {
  let found;
  try {
    found = (await api("/api/threads?story=" + encodeURIComponent(storyId))).threads;
  } catch (_) { return; }
  if (!found || !found.length) return;
  const t = found[0];
  const k = t.story_ids.indexOf(storyId);
  const link = (st, label) => h("a", { href: "#/story/" + encodeURIComponent(st.id), class: "thread-nav" }, label);
  node.appendChild(h("span", {}, "Part of the thread ", h("strong", {}, t.title),
    ` (${k + 1} of ${t.story_ids.length}${t.date_range[0] ? `, ${fmtDate(t.date_range[0])} to ${fmtDate(t.date_range[1])}` : ""})`,
    k > 0 ? [" · ", link(t.stories[k - 1], "← " + t.stories[k - 1].title)] : null,
    k + 1 < t.stories.length ? [" · ", link(t.stories[k + 1], t.stories[k + 1].title + " →")] : null));
  node.hidden = false;
}

function focusTarget(page, focus) {
  const target = focus.kind === "source" ? page.querySelector(`.source[data-article="${CSS.escape(focus.id)}"]`)
    : page.querySelector("#sec-" + CSS.escape(focus.id));
  if (!target) return;
  page.querySelectorAll(".targeted").forEach((n) => n.classList.remove("targeted"));
  target.classList.add("targeted");
  if (target.tagName === "DETAILS") target.open = true;
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
}

function makeContext(data, story, changes, onChange) {
  const number = new Map(data.articles.map((a, i) => [a.id, i + 1]));
  const byId = new Map(data.articles.map((a) => [a.id, a]));
  const label = (id) => {
    const a = byId.get(id);
    return a ? sourceName(a, number.get(id)) : "another report";
  };
  const cite = (ids) => h("span", { class: "cites" }, (ids || []).map((id) =>
    h("a", {
      class: "cite", href: `#/story/${encodeURIComponent(story.id)}/source/${encodeURIComponent(id)}`,
      title: label(id), "data-article": id,
    }, `[${number.get(id) || "?"}]`)));
  const entityById = new Map((data.entities || []).map((e) => [e.id, e]));
  return { number, byId, label, cite, entityById, story, changes, onChange };
}

const empty = (text) => h("p", { class: "empty" }, text);
const newBadge = () => h("span", { class: "badge new" }, "new");

// ------------------------------------------------------------------------------------------- languages

function languageName(code) {
  try { return new Intl.DisplayNames(["en"], { type: "language" }).of(code) || code; } catch (e) { return code; }
}

// What the story's reports in other languages were: analysed (French) or only grouped (the rest), as the
// CLI summary and the report say it.
function languageNotes(articles) {
  const counts = new Map();
  for (const a of articles || []) {
    if (!a.language || a.language === "en") continue;
    const key = `${a.language}\u0000${a.analysed !== false}\u0000${a.analysed_reason || ""}`;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  if (!counts.size) return null;
  return h("div", { class: "language-notes small muted" }, [...counts].map(([key, n]) => {
    const [code, analysed, reason] = key.split("\u0000");
    const what = analysed === "true" ? "analysed (PLOVER events are coded from English text only)"
      : `grouped, not analysed (${reason.split(": ").slice(1).join(": ") || "no analysis pipeline for this language"})`;
    return h("p", {}, `${plural(n, "article")} in ${languageName(code)}: ${what}.`);
  }));
}

// ----------------------------------------------------------------------------------------------- brief

function briefSection(data, story, ctx) {
  const sentences = story.brief && story.brief.length ? story.brief : (data.brief || []);
  if (!sentences.length) return empty("No brief for this story yet.");
  return h("ol", { class: "brief" }, sentences.map((b) =>
    h("li", { class: "brief-sentence" }, h("span", b.language ? { class: "brief-text", lang: b.language } : { class: "brief-text" }, b.text), " ",
      b.language ? h("span", { class: "small muted brief-language" }, `(${languageName(b.language)}, as the source wrote it) `) : null,
      ctx.cite(b.article_ids))));
}

// ------------------------------------------------------------------------------------------ differences

function differencesSection(data, ctx) {
  const diffs = data.differences || [];
  if (!diffs.length) return empty("The sources do not differ on anything detected so far.");
  return h("ul", { class: "differences" }, diffs.map((d) =>
    h("li", { class: "difference kind-" + d.kind + (ctx.changes.differences.has(d.summary) ? " is-new" : "") },
      ctx.changes.differences.has(d.summary) ? [newBadge(), " "] : null,
      h("span", { class: "badge" }, d.kind), " ", h("span", {}, d.summary), " ", ctx.cite(d.article_ids),
      (d.items || []).length ? h("ul", { class: "diff-items" }, d.items.map((it) =>
        h("li", {}, h("strong", {}, ctx.label(it.article_id)), ": ", h("q", {}, it.text), " ",
          ctx.cite([it.article_id])))) : null)));
}

// --------------------------------------------------------------------------------------------- coverage

// Who reported first, who copied whom (each family as a tree on a date axis), and which claims each outlet
// carries (a matrix): drawn, with the same as text below each picture.
function coverageSection(data, ctx) {
  const cov = data.coverage;
  if (!cov || !(cov.outlets || []).length) return empty("No coverage to show yet.");
  const first = cov.first && cov.first.date
    ? h("p", { class: "first-report" }, "First reported on ", h("strong", {}, fmtDate(cov.first.date)), " by ",
      cov.first.outlets.length <= 4 ? h("strong", {}, cov.first.outlets.join(", "))
        : `${cov.first.outlets.length} outlets that day (${cov.first.outlets.slice(0, 3).join(", ")} and others)`,
      `. ${plural(cov.outlets.length, "outlet")} carried it.`)
    : h("p", {}, `${plural(cov.outlets.length, "outlet")} carried it; none of the reports is dated.`);
  return h("div", { class: "coverage" }, first,
    cov.claims.length ? [h("h3", {}, "Who carries which claim"), matrixChart(cov), matrixLegend(), matrixTable(cov)]
      : h("p", { class: "empty" }, "No claims to compare across outlets yet."),
    h("h3", {}, "Who reported first, who copied whom"), treeChart(cov), treeList(cov));
}

const LABEL_W = 190, CELL = 24, ROW = 22;
const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);

function matrixChart(cov) {
  const top = 30, left = LABEL_W + 10, size = CELL - 6;
  const width = left + Math.max(1, cov.claims.length) * CELL, height = top + cov.outlets.length * ROW + 10;
  return h("div", { class: "chart-scroll" }, s("svg", { class: "matrix", viewBox: `0 0 ${width} ${height}`, width,
    role: "img", "aria-label": `Coverage matrix: ${cov.outlets.length} outlets by ${cov.claims.length} claims; `
      + "a filled square where an outlet carries the claim. The same as a table follows." },
    cov.claims.map((c, j) => s("text", { x: left + j * CELL + size / 2, y: top - 8, "text-anchor": "middle", class: "col" },
      `C${j + 1}`)),
    cov.outlets.map((o, i) => [
      s("rect", { x: left - 3, y: top + i * ROW - 1, width: width - left + 3, height: size + 2, class: "lane" }),
      s("text", { x: LABEL_W, y: top + i * ROW + size / 2 + 4, "text-anchor": "end", class: "row" }, clip(o.name, 30)),
      cov.claims.map((c, j) => ((cov.carries[o.name] || []).includes(c.id)
        ? s("rect", { x: left + j * CELL, y: top + i * ROW, width: size, height: size, rx: 3, class: "on " + c.status },
          s("title", {}, `${o.name} carries C${j + 1}: ${c.text}`))
        : null)),
    ])));
}

function matrixLegend() {
  return h("p", { class: "legend small muted" },
    h("span", { class: "key square corroborated" }), "corroborated ",
    h("span", { class: "key square disputed" }), "disputed ",
    h("span", { class: "key square single-source" }), "single source ",
    h("span", { class: "key square off" }), "not carried");
}

function matrixTable(cov) {
  return h("details", { class: "as-text" }, h("summary", {}, "The matrix as a table"),
    h("div", { class: "table-scroll" }, h("table", { class: "matrix-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Outlet"),
        cov.claims.map((c, j) => h("th", { scope: "col" }, `C${j + 1}`)))),
      h("tbody", {}, cov.outlets.map((o) => h("tr", {}, h("th", { scope: "row" }, o.name),
        cov.claims.map((c) => h("td", {}, (cov.carries[o.name] || []).includes(c.id) ? "yes" : "–"))))))),
    h("ol", { class: "claim-keys small" }, cov.claims.map((c, j) =>
      h("li", {}, h("strong", {}, `C${j + 1}`), ` (${c.status}, ${plural(c.outlets, "outlet")}): ${c.text}`))),
    cov.claims_total > cov.claims.length
      ? h("p", { class: "small muted" }, `The first ${cov.claims.length} of ${cov.claims_total} claims.`) : null);
}

function treeChart(cov) {
  const width = 760, rows = [];
  cov.families.forEach((fam, f) => fam.members.forEach((m) => rows.push({ ...m, family: f })));
  const days = [...new Set(rows.map((r) => r.date).filter(Boolean))].sort();
  const lo = LABEL_W + 20, hi = width - 70;
  const x = (d) => (d === null || d === undefined ? width - 30
    : days.length < 2 ? (lo + hi) / 2 : lo + ((hi - lo) * days.indexOf(d)) / (days.length - 1));
  let y = 20;
  const placed = new Map();
  rows.forEach((r, k) => {
    if (k && r.family !== rows[k - 1].family) y += 8;
    placed.set(r.id, { ...r, x: x(r.date), y });
    y += ROW;
  });
  const axis = y + 4;
  const ticks = days.length <= 8 ? days : [days[0], days[days.length - 1]];
  return h("div", { class: "chart-scroll" }, s("svg", { class: "tree", viewBox: `0 0 ${width} ${axis + 24}`, width,
    role: "img", "aria-label": "Family tree on a date axis: one row per report, copies joined to the report they "
      + "copy. The same as a list follows." },
    s("line", { x1: LABEL_W + 10, x2: width - 10, y1: axis, y2: axis, class: "axis" }),
    ticks.map((d) => s("text", { x: x(d), y: axis + 16, "text-anchor": "middle", class: "tick" }, fmtDate(d))),
    rows.some((r) => !r.date) ? s("text", { x: width - 30, y: axis + 16, "text-anchor": "middle", class: "tick" }, "undated") : null,
    [...placed.values()].filter((n) => n.parent && placed.has(n.parent)).map((n) => {
      const p = placed.get(n.parent);
      return s("path", { d: `M${p.x} ${p.y} V${n.y} H${n.x}`, class: "edge" });
    }),
    [...placed.values()].map((n) => s("g", { class: "node" + (n.parent ? " copy" : " origin"), "data-article": n.id },
      s("title", {}, `${n.outlet}, ${n.date ? fmtDate(n.date) : "undated"}${n.parent ? " (a copy)" : " (first of its family)"}`),
      s("text", { x: LABEL_W, y: n.y + 4, "text-anchor": "end", class: "row" }, clip(n.outlet, 30)),
      s("circle", { cx: n.x, cy: n.y, r: n.parent ? 5 : 7 })))));
}

function treeList(cov) {
  const outlet = new Map(cov.families.flatMap((f) => f.members.map((m) => [m.id, m.outlet])));
  return h("details", { class: "as-text" }, h("summary", {}, "The families as a list"),
    h("ul", { class: "tree-list" }, cov.families.map((fam) => h("li", {},
      fam.members.map((m, k) => (k === 0
        ? [h("strong", {}, m.outlet), `, ${m.date ? fmtDate(m.date) : "undated"}`,
          fam.members.length > 1 ? ` — first of ${fam.members.length} versions` : ""]
        : `; then ${m.outlet}, ${m.date ? fmtDate(m.date) : "undated"} (copied from ${outlet.get(m.parent)})`))))));
}

// ---------------------------------------------------------------------------------------------- sources

function sourcesSection(data, story, ctx) {
  const families = (story.families && story.families.length) ? story.families : data.articles.map((a) => [a.id]);
  if (!families.length) return empty("No articles.");
  return h("div", { class: "families" }, families.map((ids, k) => {
    const members = ids.map((id) => ctx.byId.get(id)).filter(Boolean);
    return h("div", { class: "family" },
      h("h3", { class: "family-head" }, `Source ${k + 1}`,
        members.length > 1 ? h("span", { class: "muted" }, ` · ${members.length} copies of one report`) : null),
      members.map((a) => sourceCard(a, ctx)));
  }));
}

function sourceCard(a, ctx) {
  const paragraphs = a.text.split(/\n+/).filter((p) => p.trim());
  const fresh = ctx.changes.articles.has(a.id);
  return h("details", { class: "source" + (fresh ? " is-new" : ""), "data-article": a.id, tabindex: "-1", id: "src-" + a.id },
    h("summary", {},
      h("span", { class: "num" }, String(ctx.number.get(a.id))),
      h("span", { class: "source-head" },
        h("strong", { class: "outlet" }, sourceName(a, ctx.number.get(a.id)), fresh ? [" ", newBadge()] : null),
        h("span", { class: "source-title" }, a.title || paragraphs[0]?.slice(0, 120) || ""),
        h("span", { class: "muted small" },
          [a.date ? fmtDate(a.date) + (a.date_source ? ` (${a.date_source})` : "") : "undated",
            a.language || null].filter(Boolean).join(" · ")))),
    h("div", { class: "source-body" },
      paragraphs.map((p) => h("p", {}, p)),
      a.url ? h("p", { class: "small" }, h("a", { href: a.url, rel: "noopener noreferrer", target: "_blank" },
        "Original page")) : null,
      (a.removed || []).length ? h("details", { class: "removed" },
        h("summary", {}, plural(a.removed.length, "block") + " of boilerplate removed"),
        a.removed.map((r) => h("pre", {}, r))) : null,
      h("p", { class: "small" }, h("a", { href: "#/article/" + encodeURIComponent(a.id) }, "Article page")),
      h("div", { class: "source-actions" },
        editForm(a, () => ctx.onChange("edited")),
        confirmButton("Delete article", `Delete “${a.title || sourceName(a, ctx.number.get(a.id))}” from the store? This cannot be undone.`,
          async () => {
            await api("/api/articles/" + encodeURIComponent(a.id), { method: "DELETE" });
            ctx.onChange("deleted", a.id);
          }))));
}

// ----------------------------------------------------------------------------------------------- quotes

function quotesSection(data, ctx) {
  const quotes = data.quotes || [];
  if (!quotes.length) return empty("No direct quotes found.");
  const speakers = new Map();
  for (const q of quotes) {
    const key = q.speaker || "Unattributed";
    if (!speakers.has(key)) speakers.set(key, []);
    speakers.get(key).push(q);
  }
  const ordered = [...speakers.entries()].sort((a, b) => (a[0] === "Unattributed") - (b[0] === "Unattributed")
    || b[1].length - a[1].length);
  return h("div", { class: "speakers" }, ordered.map(([speaker, qs]) => {
    const groups = new Map();
    for (const q of qs) {
      const key = q.group || q.id;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(q);
    }
    const entity = qs[0].speaker_id ? ctx.entityById.get(qs[0].speaker_id) : null;
    return h("div", { class: "speaker" },
      h("h3", {}, entity && entity.store_id
        ? h("a", { href: "#/entity/" + encodeURIComponent(entity.store_id) }, speaker) : speaker,
        h("span", { class: "muted" }, " · " + plural(groups.size, "statement"))),
      [...groups.values()].map((versions) => statement(versions, ctx)));
  }));
}

function statement(versions, ctx) {
  const first = versions[0];
  const differing = versions.slice(1).filter((v) => norm(v.text) !== norm(first.text));
  return h("figure", { class: "statement" },
    h("blockquote", {}, first.text),
    h("figcaption", {}, versions.map((v) => h("span", { class: "version-source" },
      ctx.label(v.article_id), v.cue ? ` (${v.cue})` : "", v.fragment ? " · partial" : "", " ",
      ctx.cite([v.article_id])))),
    differing.length ? h("div", { class: "wording" },
      h("p", { class: "small muted" }, "Worded differently:"),
      differing.map((v) => h("p", { class: "diffline" },
        wordDiff(first.text, v.text).map(([w, op]) =>
          op === "=" ? w + " " : [h(op === "+" ? "ins" : "del", {}, w), " "]),
        " ", h("span", { class: "small" }, "— " + ctx.label(v.article_id)), " ", ctx.cite([v.article_id]))))
      : null);
}

const norm = (t) => (t || "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

// ----------------------------------------------------------------------------------------------- claims

function claimsSection(data, ctx) {
  const claims = data.claims || [];
  if (!claims.length) return empty("No claims extracted yet.");
  const order = { disputed: 0, corroborated: 1, "single-source": 2 };
  const sorted = [...claims].sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3) || b.families - a.families);
  return h("table", { class: "claims cards" },
    h("thead", {}, h("tr", {}, ["Claim", "Status", "Independent sources", "Reported by", "Values"].map((c) =>
      h("th", { scope: "col" }, c)))),
    h("tbody", {}, sorted.map((c) => {
      const fresh = ctx.changes.claims.has(c.text);
      return h("tr", { class: "status-" + c.status + (fresh ? " is-new" : "") },
        h("td", { "data-label": "Claim" }, fresh ? [newBadge(), " "] : null, c.text,
          c.note ? h("div", { class: "small muted" }, c.note) : null),
        h("td", { "data-label": "Status" }, h("span", { class: "badge status" }, c.status)),
        h("td", { class: "num-cell", "data-label": "Independent sources" }, String(c.families)),
        h("td", { "data-label": "Reported by" }, ctx.cite(c.article_ids)),
        h("td", { "data-label": "Values" }, (c.values || []).join(", ")));
    })));
}

// --------------------------------------------------------------------------------------------- timeline

function timelineSection(data, ctx) {
  const items = (data.timeline || []).map((t) => ({ ...t, when: parseDate(t.date) })).filter((t) => t.when);
  if (!items.length) return empty("No dated events in this story.");
  items.sort((a, b) => a.when.time - b.when.time);
  const detail = h("p", { class: "timeline-detail small", "aria-live": "polite" },
    "Point at a dot, or move to it with the Tab key, to read what happened that day.");
  return h("div", { class: "timeline" }, timelineChart(items, detail), detail, timelineLegend(), h("ol", { class: "timeline-list" }, items.map((t) =>
    h("li", {}, h("time", { datetime: t.date }, fmtDate(t.date)), " ",
      h("span", { class: "expr" }, "“" + t.expression + "”"), " ", h("span", {}, t.text), " ",
      ctx.cite(t.article_ids)))));
}

// Dates are spaced evenly (one column per distinct date) so that days close together stay readable next
// to months far away; a break mark on the axis shows where the spacing skips a long stretch of time.
function timelineChart(items, detail) {
  const W = 800, pad = 50, lane = 16, minLabelGap = 84;
  const dates = [...new Map(items.map((t) => [t.date, t.when])).entries()];
  const column = new Map(dates.map(([d], i) => [d, i]));
  const step = dates.length > 1 ? (W - 2 * pad) / (dates.length - 1) : 0;
  const x = (d) => (dates.length > 1 ? pad + column.get(d) * step : W / 2);
  const stacks = new Map();
  const dots = items.map((t) => {
    const level = stacks.get(t.date) || 0;
    stacks.set(t.date, level + 1);
    return { t, cx: x(t.date), level };
  });
  const height = 64 + lane * Math.max(...dots.map((d) => d.level));
  const axisY = height - 30;
  let lastLabel = -Infinity;
  const labels = [];
  for (const [d] of dates) {
    if (x(d) - lastLabel >= minLabelGap) {
      labels.push(d);
      lastLabel = x(d);
    }
  }
  const breaks = [];
  for (let i = 1; i < dates.length; i++) {
    if (dates[i][1].time - dates[i - 1][1].time > 45 * 86400000) breaks.push(pad + (i - 0.5) * step);
  }
  return s("svg", { class: "chart", viewBox: `0 0 ${W} ${height}`, role: "img",
    "aria-label": `Timeline from ${fmtDate(items[0].date)} to ${fmtDate(items[items.length - 1].date)}` },
    s("line", { x1: pad / 2, x2: W - pad / 2, y1: axisY, y2: axisY, class: "axis" }),
    breaks.map((bx) => s("g", { class: "break" },
      s("rect", { x: bx - 5, y: axisY - 6, width: 10, height: 12, class: "break-gap" }),
      s("line", { x1: bx - 6, x2: bx - 2, y1: axisY + 6, y2: axisY - 6 }),
      s("line", { x1: bx + 2, x2: bx + 6, y1: axisY + 6, y2: axisY - 6 }))),
    dates.map(([d]) => s("line", { x1: x(d), x2: x(d), y1: axisY - 4, y2: axisY + 4, class: "tick" })),
    labels.map((d) => s("text", { x: x(d), y: axisY + 20, "text-anchor": "middle", class: "tick-label" }, fmtDate(d))),
    dots.map((d) => {
      const said = `${fmtDate(d.t.date)} — “${d.t.expression}”: ${d.t.text} (${plural(d.t.article_ids.length, "report")})`;
      const dot = s("circle", {
        cx: d.cx, cy: axisY - 12 - d.level * lane, r: 6, tabindex: "0", role: "img", "aria-label": said,
        class: "dot precision-" + d.t.when.precision + (d.t.article_ids.length > 1 ? " shared" : ""),
      }, s("title", {}, said));
      const show = () => { detail.textContent = said; };
      dot.addEventListener("focus", show);
      dot.addEventListener("mouseenter", show);
      return dot;
    }));
}

function timelineLegend() {
  return h("p", { class: "legend small muted" },
    h("span", { class: "key shared" }), "reported by several articles ",
    h("span", { class: "key" }), "by one article ",
    h("span", { class: "key partial" }), "month or year only");
}

// ----------------------------------------------------------------------------------------------- events

function eventsSection(data, ctx) {
  const events = data.events || [];
  if (!events.length) return empty("No PLOVER events coded.");
  const actor = (entity, code) => [entity, code ? `(${code})` : null].filter(Boolean).join(" ") || "—";
  return h("table", { class: "events cards" },
    h("thead", {}, h("tr", {}, ["Type", "Source", "Target", "Date", "Where", "Evidence", "Sources"].map((c) =>
      h("th", { scope: "col" }, c)))),
    h("tbody", {}, events.map((e) => h("tr", {},
      h("td", { "data-label": "Type" }, h("span", { class: "badge event" }, e.type)),
      h("td", { "data-label": "Source" }, actor(e.source_entity, e.source_actor)),
      h("td", { "data-label": "Target" }, actor(e.target_entity, e.target_actor)),
      h("td", { "data-label": "Date" }, e.date ? fmtDate(e.date) : "—"),
      h("td", { "data-label": "Where" }, e.location || "—"),
      h("td", { class: "evidence", "data-label": "Evidence" }, e.text),
      h("td", { "data-label": "Sources" }, ctx.cite(e.article_ids))))));
}

// --------------------------------------------------------------------------------------------- entities

const TYPE_NAMES = { PERSON: "People", ORG: "Organisations", GPE: "Countries and places", LOC: "Locations",
  NORP: "Groups", EVENT: "Events" };

function entitiesSection(data) {
  const entities = data.entities || [];
  if (!entities.length) return empty("No entities found.");
  const byType = new Map();
  for (const e of entities) {
    if (!byType.has(e.type)) byType.set(e.type, []);
    byType.get(e.type).push(e);
  }
  return h("div", { class: "entity-groups" }, [...byType.entries()].map(([type, list]) =>
    h("div", { class: "entity-group" }, h("h3", {}, TYPE_NAMES[type] || type),
      h("ul", { class: "chips" }, list.sort((a, b) => b.article_ids.length - a.article_ids.length).map((e) =>
        h("li", {}, h("a", { class: "chip", href: "#/entity/" + encodeURIComponent(e.store_id || e.id),
          title: [...(e.descriptions || []), ...(e.aliases || [])].join("; ") },
        h("span", { class: "name" }, e.name), e.country && e.type !== "GPE" ? ` · ${e.country}` : "",
        h("span", { class: "count" }, String(e.article_ids.length)))))))));
}
