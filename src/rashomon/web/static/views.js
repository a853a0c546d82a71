// The desk's other pages: the story list (with the threads and the form to add articles), search results,
// the entities index, an entity page and an article page (where an article is corrected or deleted).

import { api, clear, confirmButton, editForm, fmtDate, h, plural, sourceName } from "./dom.js";

// ------------------------------------------------------------------------------------------------- home

export function renderHome(state) {
  const list = h("div", { id: "stories", class: "stories", "aria-live": "polite" }, h("p", { class: "muted" }, "Loading…"));
  const threads = h("section", { class: "threads", hidden: true, "aria-labelledby": "threads-h" },
    h("h2", { id: "threads-h" }, "Threads"),
    h("p", { class: "muted small" }, "Stories of one long-running topic, linked by the rare names they share."),
    h("ul", { class: "thread-list" }));
  const page = h("div", { class: "home" },
    h("div", { class: "home-main" },
      h("section", { class: "story-list" }, h("h1", {}, "Stories"),
        h("p", { class: "muted small" }, "Newest first. Copies of one report count once as an independent source."),
        list),
      threads),
    h("aside", { class: "add" }, addForm(state)));
  state.refreshList = async (highlight) => {
    const data = await api("/api/stories");
    fillStories(list, data.stories, highlight || state.highlight);
    fillThreads(threads).catch(() => {});
    return data.stories;
  };
  state.refreshList().catch((err) => fillError(list, err));
  return page;
}

async function fillThreads(section) {
  const found = (await api("/api/threads")).threads;
  const list = clear(section.querySelector(".thread-list"));
  section.hidden = !found.length;
  for (const t of found) {
    list.appendChild(h("li", { class: "thread", "data-thread": t.id },
      h("strong", {}, t.title), " ",
      h("span", { class: "muted small" }, plural(t.stories.length, "story", "stories"),
        t.date_range[0] ? ` · ${fmtDate(t.date_range[0])} to ${fmtDate(t.date_range[1])}` : ""),
      h("ol", {}, t.stories.map((st) => h("li", {},
        h("a", { href: "#/story/" + encodeURIComponent(st.id) }, st.title || "(untitled story)"),
        st.date ? h("span", { class: "muted small" }, " · " + fmtDate(st.date)) : null)))));
  }
}

function fillStories(list, stories, highlight) {
  clear(list);
  if (!stories.length) {
    list.appendChild(h("p", { class: "empty" }, "No stories yet: add an article with the form."));
    return;
  }
  list.appendChild(h("ol", { class: "cards" }, stories.map((st) =>
    h("li", { class: "card" + (highlight && highlight.has(st.id) ? " just-joined" : ""), "data-story": st.id },
      h("a", { class: "card-title", href: "#/story/" + encodeURIComponent(st.id) }, st.title || "(untitled story)"),
      h("p", { class: "card-meta" },
        st.date ? h("time", { datetime: st.date }, fmtDate(st.date)) : h("span", { class: "muted" }, "undated"),
        h("span", { class: "pill sources-count" }, plural(st.independent_sources, "independent source")),
        h("span", { class: "pill article-count", "data-count": st.article_ids.length },
          plural(st.article_ids.length, "article"))),
      (st.outlets || []).length ? h("p", { class: "small muted" }, st.outlets.join(" · ")) : null,
      (st.languages || []).some((l) => l !== "en") ? h("p", { class: "small muted languages" },
        "Languages: " + st.languages.join(", ") +
        (st.not_analysed ? ` (${plural(st.not_analysed, "article")} grouped, not analysed)` : "")) : null))));
}

function fillError(node, err) {
  clear(node).appendChild(h("p", { class: "error", role: "alert" }, err.message));
}

function addForm(state) {
  const status = h("div", { class: "form-status", role: "status", "aria-live": "polite" });
  const token = h("label", { class: "token-field", hidden: true }, "Access token",
    h("input", { type: "password", name: "token", autocomplete: "off" }));
  api("/api/status").then((st) => { if (st.writes_need_token) token.hidden = false; }).catch(() => {});

  const paste = h("form", { id: "paste-form", class: "add-form", role: "tabpanel", "aria-labelledby": "tab-paste" },
    h("label", {}, "Title", h("input", { name: "title", type: "text" })),
    h("div", { class: "row" },
      h("label", {}, "Outlet", h("input", { name: "outlet", type: "text" })),
      h("label", {}, "Date", h("input", { name: "date", type: "date" }))),
    h("label", {}, "Text", h("textarea", { name: "text", rows: 9, required: true,
      placeholder: "Paste the article's text" })),
    h("button", { type: "submit" }, "Add article"));
  const upload = h("form", { id: "upload-form", class: "add-form", hidden: true, role: "tabpanel",
    "aria-labelledby": "tab-upload" },
    h("label", {}, "Files (.txt, .html, .jsonl, .rss)", h("input", { name: "file", type: "file", multiple: true,
      accept: ".txt,.text,.html,.htm,.xhtml,.jsonl,.ndjson,.rss,.atom,.xml", required: true })),
    h("button", { type: "submit" }, "Upload"));

  const tabs = h("div", { class: "tabs", role: "tablist", "aria-label": "How to add" },
    tab("Paste", "paste", true, () => { paste.hidden = false; upload.hidden = true; }),
    tab("Upload", "upload", false, () => { paste.hidden = true; upload.hidden = false; }));
  // arrow keys move between the tabs (and select them), Home and End go to the first and last
  tabs.addEventListener("keydown", (event) => {
    const all = [...tabs.querySelectorAll("[role=tab]")];
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = all[(to + all.length) % all.length];
    next.focus();
    next.click();
  });

  const submit = async (event, body) => {
    event.preventDefault();
    const tokenValue = token.querySelector("input").value.trim();
    if (tokenValue) sessionStorage.setItem("rashomon-token", tokenValue);
    const button = event.target.querySelector("button");
    button.disabled = true;
    clear(status).appendChild(h("p", { class: "muted" }, "Reading and placing…"));
    try {
      const result = await api("/api/articles", { method: "POST", ...body() });
      event.target.reset();
      state.highlight = new Set(result.articles.map((a) => a.story));
      const stories = state.refreshList ? await state.refreshList(state.highlight) : [];
      showResult(status, result, new Map((stories || []).map((st) => [st.id, st])));
    } catch (err) {
      if (err.status === 401) token.hidden = false;
      fillError(status, err);
    } finally {
      button.disabled = false;
    }
  };
  paste.addEventListener("submit", (e) => submit(e, () => {
    const data = Object.fromEntries(new FormData(paste).entries());
    for (const key of Object.keys(data)) if (!data[key].trim()) delete data[key];
    return { headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) };
  }));
  upload.addEventListener("submit", (e) => submit(e, () => ({ body: new FormData(upload) })));

  return h("div", {}, h("h2", {}, "Add an article"), tabs, paste, upload, token, status);

  function tab(label, name, selected, onSelect) {
    const button = h("button", { type: "button", role: "tab", id: "tab-" + name, "aria-controls": name + "-form",
      "aria-selected": String(selected), tabindex: selected ? "0" : "-1" }, label);
    button.addEventListener("click", () => {
      tabs.querySelectorAll("[role=tab]").forEach((b) => { b.setAttribute("aria-selected", "false"); b.tabIndex = -1; });
      button.setAttribute("aria-selected", "true");
      button.tabIndex = 0;
      onSelect();
    });
    return button;
  }
}

function showResult(node, result, stories) {
  clear(node);
  node.appendChild(h("ul", { class: "added" }, result.articles.map((a) => {
    const story = stories.get(a.story);
    const size = story ? story.article_ids.length : 0;
    return h("li", { class: "added-article", "data-article": a.id, "data-story": a.story || "" },
      a.new ? "Added " : "Already stored: ", h("strong", {}, a.title || sourceName(a)),
      a.story ? [" → ", h("a", { class: "joined", href: "#/story/" + encodeURIComponent(a.story) },
        size > 1 ? `joined “${story.title}” (${plural(size, "article")}, ${plural(story.independent_sources,
          "independent source")})` : "started a new story")] : null);
  })));
  if (result.skipped.length) {
    node.appendChild(h("ul", { class: "skipped" }, result.skipped.map((sk) =>
      h("li", {}, `Skipped item ${sk.index + 1}${sk.line ? ` (line ${sk.line})` : ""}: ${sk.reason}`))));
  }
}

// ----------------------------------------------------------------------------------------------- search

export async function renderSearch(query) {
  const data = await api("/api/search?q=" + encodeURIComponent(query) + "&limit=30");
  const snippet = (pieces) => pieces.map(([text, hit]) => (hit ? h("mark", {}, text) : text));
  return h("div", { class: "search" },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "All stories")),
    h("h1", {}, "Search: ", h("q", {}, query)),
    h("section", { class: "block" }, h("h2", {}, plural(data.articles.length, "article")),
      data.articles.length ? h("ol", { class: "hits" }, data.articles.map((a) => h("li", {},
        h("a", { href: a.story ? `#/story/${encodeURIComponent(a.story)}/source/${encodeURIComponent(a.id)}`
          : "#/article/" + encodeURIComponent(a.id) }, a.title || sourceName(a)),
        h("span", { class: "muted small" }, " " + [a.outlet, a.date && fmtDate(a.date)].filter(Boolean).join(" · ")),
        h("p", { class: "snippet" }, snippet(a.snippet))))) : h("p", { class: "empty" }, "No article matches.")),
    h("section", { class: "block" }, h("h2", {}, plural(data.quotes.length, "quote")),
      data.quotes.length ? h("ol", { class: "hits" }, data.quotes.map((q) => h("li", {},
        h("blockquote", {}, snippet(q.snippet)),
        h("p", { class: "small" }, q.speaker || "Unattributed", " · ",
          h("a", { href: q.story ? `#/story/${encodeURIComponent(q.story)}/source/${encodeURIComponent(q.article_id)}`
            : "#/article/" + encodeURIComponent(q.article_id) }, q.outlet || q.title || "Untitled report"))))) :
        h("p", { class: "empty" }, "No quote matches.")));
}

// --------------------------------------------------------------------------------------------- entities

const PAGE = 50;
const TYPES = [["", "all types"], ["PERSON", "people"], ["ORG", "organisations"], ["GPE", "countries and places"],
  ["LOC", "locations"], ["NORP", "groups"], ["FAC", "buildings and sites"], ["EVENT", "events"]];

// Every entity in the store, a page at a time (GET /api/entities?limit&offset&q&type), searchable by name.
export async function renderEntities(params) {
  const query = { q: params.get("q") || "", type: params.get("type") || "", offset: +(params.get("offset") || 0) };
  const list = h("div", { class: "entity-results", "aria-live": "polite" });
  const form = h("form", { class: "entity-filter", role: "search" },
    h("label", {}, "Name", h("input", { type: "search", name: "q", value: query.q, autocomplete: "off" })),
    h("label", {}, "Type", h("select", { name: "type" }, TYPES.map(([value, label]) =>
      h("option", { value, selected: value === query.type }, label)))));
  let timer = null;
  const load = async () => {
    const url = new URLSearchParams({ limit: PAGE, offset: query.offset });
    if (query.q) url.set("q", query.q);
    if (query.type) url.set("type", query.type);
    const data = await api("/api/entities?" + url);
    const keep = new URLSearchParams();
    for (const key of ["q", "type"]) if (query[key]) keep.set(key, query[key]);
    if (query.offset) keep.set("offset", query.offset);
    history.replaceState(null, "", "#/entities" + (keep.toString() ? "/" + encodeURIComponent(keep) : ""));
    fillEntities(list, data, (offset) => { query.offset = offset; load().catch((err) => fillError(list, err)); });
  };
  const changed = () => {
    query.q = form.q.value.trim();
    query.type = form.type.value;
    query.offset = 0;
    clearTimeout(timer);
    timer = setTimeout(() => load().catch((err) => fillError(list, err)), 200);
  };
  form.addEventListener("input", changed);
  form.addEventListener("submit", (event) => { event.preventDefault(); changed(); });
  await load();
  return h("div", { class: "entities-page" },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "All stories")),
    h("h1", {}, "Entities"),
    h("p", { class: "muted small" }, "People, organisations and places across every story, most widely reported first."),
    form, list);
}

function fillEntities(node, data, go) {
  clear(node);
  const { entities, total, offset, next_offset: next } = data;
  node.appendChild(h("p", { class: "small muted entity-count" }, total
    ? `${offset + 1}–${offset + entities.length} of ${plural(total, "entity", "entities")}` : "No entity matches."));
  if (!entities.length) return;
  node.appendChild(h("table", { class: "entity-table cards" },
    h("thead", {}, h("tr", {}, ["Name", "Type", "Country", "Articles", "Stories"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, entities.map((e) => h("tr", { "data-entity": e.id },
      h("td", { "data-label": "Name" }, h("a", { href: "#/entity/" + encodeURIComponent(e.id) }, e.name),
        e.aliases.length > 1 ? h("div", { class: "small muted" }, "also " + e.aliases.filter((x) => x !== e.name).slice(0, 4).join(" · ")) : null),
      h("td", { "data-label": "Type" }, h("span", { class: "badge" }, e.type)),
      h("td", { "data-label": "Country" }, e.country || "—"),
      h("td", { class: "num-cell", "data-label": "Articles" }, String(e.article_ids.length)),
      h("td", { class: "num-cell", "data-label": "Stories" }, String(e.stories.length)))))));
  const pager = h("nav", { class: "pager", "aria-label": "Pages of entities" });
  if (offset > 0) pager.appendChild(h("button", { type: "button", class: "secondary prev", on: { click: () => go(Math.max(0, offset - PAGE)) } }, "← Previous"));
  if (next !== null && next !== undefined) pager.appendChild(h("button", { type: "button", class: "secondary next", on: { click: () => go(next) } }, "Next →"));
  node.appendChild(pager);
}

// ----------------------------------------------------------------------------------------------- entity

export async function renderEntity(id) {
  const e = await api("/api/entities/" + encodeURIComponent(id));
  return h("div", { class: "entity" },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "All stories")),
    h("h1", {}, e.name), h("p", { class: "story-meta" }, h("span", { class: "badge" }, e.type),
      e.country ? h("span", { class: "pill" }, e.country) : null,
      h("span", { class: "pill" }, plural(e.article_ids.length, "article"))),
    e.descriptions.length ? h("ul", { class: "descriptions" }, e.descriptions.map((d) => h("li", {}, d))) : null,
    e.aliases.length ? h("p", { class: "small muted" }, "Also written: " + e.aliases.join(" · ")) : null,
    h("section", { class: "block" }, h("h2", {}, "Stories"), h("ul", {}, e.stories.map((st) => h("li", {},
      h("a", { href: "#/story/" + encodeURIComponent(st.id) }, st.title || st.id),
      st.date ? h("span", { class: "muted small" }, " · " + fmtDate(st.date)) : null)))),
    h("section", { class: "block" }, h("h2", {}, "Quoted"), e.quotes.length ? e.quotes.map((q) =>
      h("figure", { class: "statement" }, h("blockquote", {}, q.text), h("figcaption", {},
        h("a", { href: `#/story/${encodeURIComponent(q.story)}/source/${encodeURIComponent(q.article_id)}` },
          q.outlet || "Untitled report"))))
      : h("p", { class: "empty" }, "No direct quotes attributed.")),
    h("section", { class: "block" }, h("h2", {}, "Events"), e.events.length ? h("ul", {}, e.events.map((ev) =>
      h("li", {}, h("span", { class: "badge event" }, ev.type), " ", ev.text)))
      : h("p", { class: "empty" }, "No coded events.")),
    h("section", { class: "block" }, h("h2", {}, "Articles"), h("ul", {}, e.articles.map((a) => h("li", {},
      h("a", { href: "#/article/" + encodeURIComponent(a.id) }, a.title || sourceName(a)),
      h("span", { class: "muted small" }, " " + [a.outlet, a.date && fmtDate(a.date)].filter(Boolean).join(" · ")))))));
}

// ---------------------------------------------------------------------------------------------- article

export async function renderArticle(id, onChange = () => {}) {
  const a = await api("/api/articles/" + encodeURIComponent(id));
  const title = h("h1", {}, a.title || "(no title)");
  const meta = h("p", { class: "story-meta" }, [a.outlet, a.date && fmtDate(a.date), a.language].filter(Boolean).join(" · "));
  const edited = h("p", { class: "small muted edited" });
  const showEdits = (art) => {
    const fields = Object.entries(art.edits || {});
    edited.textContent = fields.length ? "Corrected by hand: " + fields.map(([name, e]) =>
      `${name} (as read: ${e.original || "none"})`).join("; ") : "";
  };
  showEdits(a);
  return h("article", { class: "article-page" },
    h("p", { class: "crumbs" }, h("a", { href: "#/" }, "All stories"),
      a.story ? [" · ", h("a", { href: "#/story/" + encodeURIComponent(a.story) }, "Its story")] : null),
    title, meta, edited,
    h("div", { class: "article-actions" },
      editForm(a, (saved) => {
        title.textContent = saved.title || "(no title)";
        meta.textContent = [saved.outlet, saved.date && fmtDate(saved.date), saved.language].filter(Boolean).join(" · ");
        showEdits(saved);
        onChange("edited", saved);
      }),
      confirmButton("Delete article", `Delete “${a.title || sourceName(a)}” from the store? This cannot be undone.`, async () => {
        await api("/api/articles/" + encodeURIComponent(a.id), { method: "DELETE" });
        onChange("deleted", a);
      })),
    a.text.split(/\n+/).filter((p) => p.trim()).map((p) => h("p", {}, p)),
    (a.removed || []).length ? h("details", { class: "removed" },
      h("summary", {}, plural(a.removed.length, "block") + " of boilerplate removed"),
      a.removed.map((r) => h("pre", {}, r))) : null);
}
