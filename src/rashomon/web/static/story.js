// The story page: the cited brief, sources side by side by family, quotes by speaker with their wording
// differences, the claims table, the timeline chart, events and entities. Renders whatever the contract
// object holds; every section says so plainly when its list is empty.

import { api, fmtDate, h, parseDate, plural, s, sourceName, wordDiff } from "./dom.js";

export function renderStory(data, focus) {
  const story = (data.stories || [])[0] || { id: "", title: "(untitled story)", article_ids: [], families: [] };
  const ctx = makeContext(data, story);
  const sections = [
    ["brief", "Brief", briefSection(data, story, ctx)],
    ["differences", "Differences", differencesSection(data, ctx)],
    ["sources", "Sources", sourcesSection(data, story, ctx)],
    ["quotes", "Quotes", quotesSection(data, ctx)],
    ["claims", "Claims", claimsSection(data, ctx)],
    ["timeline", "Timeline", timelineSection(data, ctx)],
    ["events", "Events", eventsSection(data, ctx)],
    ["entities", "Entities", entitiesSection(data, ctx)],
  ];
  const outlets = [...new Set(data.articles.map((a) => a.outlet).filter(Boolean))];
  const page = h("article", { class: "story", "data-story": story.id },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "All stories")),
    h("h1", { class: "story-title" }, story.title || "(untitled story)"),
    h("p", { class: "story-meta" },
      story.date ? h("time", { datetime: story.date }, fmtDate(story.date)) : null,
      h("span", { class: "pill sources-count" }, plural(story.independent_sources || 0, "independent source")),
      h("span", { class: "pill" }, plural(data.articles.length, "article")),
      outlets.length ? h("span", { class: "outlets" }, outlets.join(" · ")) : null),
    h("nav", { class: "toc", "aria-label": "Sections" },
      sections.map(([id, label]) => h("a", { href: `#/story/${encodeURIComponent(story.id)}/section/${id}` }, label))),
    sections.map(([id, label, body]) => h("section", { id: "sec-" + id, class: "block" }, h("h2", {}, label), body)));
  if (focus) requestAnimationFrame(() => focusTarget(page, focus));
  return page;
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

function makeContext(data, story) {
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
  return { number, byId, label, cite, entityById, story };
}

const empty = (text) => h("p", { class: "empty" }, text);

// ----------------------------------------------------------------------------------------------- brief

function briefSection(data, story, ctx) {
  const sentences = story.brief && story.brief.length ? story.brief : (data.brief || []);
  if (!sentences.length) return empty("No brief for this story yet.");
  return h("ol", { class: "brief" }, sentences.map((b) =>
    h("li", { class: "brief-sentence" }, h("span", { class: "brief-text" }, b.text), " ", ctx.cite(b.article_ids))));
}

// ------------------------------------------------------------------------------------------ differences

function differencesSection(data, ctx) {
  const diffs = data.differences || [];
  if (!diffs.length) return empty("The sources do not differ on anything detected so far.");
  return h("ul", { class: "differences" }, diffs.map((d) =>
    h("li", { class: "difference kind-" + d.kind },
      h("span", { class: "badge" }, d.kind), " ", h("span", {}, d.summary), " ", ctx.cite(d.article_ids),
      (d.items || []).length ? h("ul", { class: "diff-items" }, d.items.map((it) =>
        h("li", {}, h("strong", {}, ctx.label(it.article_id)), ": ", h("q", {}, it.text), " ",
          ctx.cite([it.article_id])))) : null)));
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
  return h("details", { class: "source", "data-article": a.id, tabindex: "-1", id: "src-" + a.id },
    h("summary", {},
      h("span", { class: "num" }, String(ctx.number.get(a.id))),
      h("span", { class: "source-head" },
        h("strong", { class: "outlet" }, sourceName(a, ctx.number.get(a.id))),
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
      outletForm(a),
      h("p", { class: "small" }, h("a", { href: "#/article/" + encodeURIComponent(a.id) }, "Article page"))));
}

// A reader who knows where a report came from names its outlet (PATCH /api/articles/{id}); the story is
// then shown again with the new name in its brief and summaries.
function outletForm(a) {
  const input = h("input", { name: "outlet", type: "text", value: a.outlet || "", placeholder: "Outlet",
    "aria-label": "Outlet of this report" });
  const status = h("span", { class: "muted small", role: "status" });
  const form = h("form", { class: "outlet-form small" }, input, " ",
    h("button", { type: "submit" }, "Set outlet"), " ", status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "Saving…";
    try {
      await api("/api/articles/" + encodeURIComponent(a.id), {
        method: "PATCH", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ outlet: input.value.trim() || null }),
      });
      status.textContent = "Saved.";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      status.textContent = err.message;
    }
  });
  return form;
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
  return h("table", { class: "claims" },
    h("thead", {}, h("tr", {}, ["Claim", "Status", "Independent sources", "Reported by", "Values"].map((c) =>
      h("th", { scope: "col" }, c)))),
    h("tbody", {}, sorted.map((c) => h("tr", { class: "status-" + c.status },
      h("td", {}, c.text, c.note ? h("div", { class: "small muted" }, c.note) : null),
      h("td", {}, h("span", { class: "badge status" }, c.status)),
      h("td", { class: "num-cell" }, String(c.families)),
      h("td", {}, ctx.cite(c.article_ids)),
      h("td", {}, (c.values || []).join(", "))))));
}

// --------------------------------------------------------------------------------------------- timeline

function timelineSection(data, ctx) {
  const items = (data.timeline || []).map((t) => ({ ...t, when: parseDate(t.date) })).filter((t) => t.when);
  if (!items.length) return empty("No dated events in this story.");
  items.sort((a, b) => a.when.time - b.when.time);
  return h("div", { class: "timeline" }, timelineChart(items), timelineLegend(), h("ol", { class: "timeline-list" }, items.map((t) =>
    h("li", {}, h("time", { datetime: t.date }, fmtDate(t.date)), " ",
      h("span", { class: "expr" }, "“" + t.expression + "”"), " ", h("span", {}, t.text), " ",
      ctx.cite(t.article_ids)))));
}

// Dates are spaced evenly (one column per distinct date) so that days close together stay readable next
// to months far away; a break mark on the axis shows where the spacing skips a long stretch of time.
function timelineChart(items) {
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
    dots.map((d) => s("circle", {
      cx: d.cx, cy: axisY - 12 - d.level * lane, r: 6,
      class: "dot precision-" + d.t.when.precision + (d.t.article_ids.length > 1 ? " shared" : ""),
    }, s("title", {}, `${fmtDate(d.t.date)} — “${d.t.expression}”: ${d.t.text}`))));
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
  return h("table", { class: "events" },
    h("thead", {}, h("tr", {}, ["Type", "Source", "Target", "Date", "Where", "Evidence", "Sources"].map((c) =>
      h("th", { scope: "col" }, c)))),
    h("tbody", {}, events.map((e) => h("tr", {},
      h("td", {}, h("span", { class: "badge event" }, e.type)),
      h("td", {}, actor(e.source_entity, e.source_actor)),
      h("td", {}, actor(e.target_entity, e.target_actor)),
      h("td", {}, e.date ? fmtDate(e.date) : "—"),
      h("td", {}, e.location || "—"),
      h("td", { class: "evidence" }, e.text),
      h("td", {}, ctx.cite(e.article_ids))))));
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
