// The router of the single-page desk: #/ (stories, threads and the add form), #/story/ID[/source/ARTICLE],
// #/entities, #/entity/ID, #/article/ID, #/search/QUERY. Pages are rebuilt from the API on each visit.
// An open story is live: it polls the story's version and, when an article joins, leaves or is edited,
// redraws itself with what changed marked (new sources, new claims, new disagreements).

import { api, clear, h, plural, sourceName } from "./dom.js";
import { renderStory } from "./story.js";
import { renderArticle, renderEntities, renderEntity, renderHome, renderSearch } from "./views.js";

const view = document.getElementById("view");
const state = { highlight: null, refreshList: null, story: null };
const LIVE_MS = 2000;
let generation = 0;
let poll = null;
let live = null;

async function route() {
  const mine = ++generation;
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const [page, id, sub, target] = parts;
  clearInterval(poll);
  state.refreshList = null;
  document.body.dataset.page = page || "home";
  if (!(page === "story" && live && live.id === id)) stopLive();
  try {
    let node;
    if (!page) {
      node = renderHome(state);
      // a live desk: pick up stories other people add
      poll = setInterval(() => state.refreshList && !document.hidden && state.refreshList().catch(() => {}), 15000);
    } else if (page === "story" && id) {
      const data = state.story && state.story.id === id && sub ? state.story.data
        : await api("/api/stories/" + encodeURIComponent(id));
      state.story = { id, data };
      node = storyPage(data, sub && target ? { kind: sub, id: target } : null);
      document.title = (data.stories[0] ? data.stories[0].title : id) + " · rashomon";
      startLive(id, data.version);
    } else if (page === "entities") {
      node = await renderEntities(new URLSearchParams(parts.slice(1).join("/")));
      document.title = "Entities · rashomon";
    } else if (page === "entity" && id) {
      node = await renderEntity(id);
    } else if (page === "article" && id) {
      node = await renderArticle(id, articleChanged);
    } else if (page === "search") {
      node = await renderSearch(parts.slice(1).join("/"));
    } else {
      node = h("p", { class: "error" }, "Unknown page. ", h("a", { href: "#/" }, "Back to the stories"));
    }
    if (mine !== generation) return; // the user moved on meanwhile
    clear(view).appendChild(node);
    if (!sub) window.scrollTo(0, 0);
    if (!page) document.title = "rashomon · news desk";
  } catch (err) {
    if (mine !== generation) return;
    clear(view).appendChild(h("div", { class: "error", role: "alert" },
      h("p", {}, err.message), h("p", {}, h("a", { href: "#/" }, "Back to the stories"))));
  }
}

function storyPage(data, focus, changes, notice) {
  return renderStory(data, focus, { changes, notice, live: true, onChange: storyChanged });
}

// ---------------------------------------------------------------------------------------- live story

function startLive(id, version) {
  if (live && live.id === id) return;
  stopLive();
  live = { id, version: version || null, busy: false };
  live.timer = setInterval(() => checkStory(live), LIVE_MS);
}

function stopLive() {
  if (live) clearInterval(live.timer);
  live = null;
}

async function checkStory(me) {
  if (me !== live || me.busy || document.hidden) return;
  me.busy = true;
  try {
    const now = await api(`/api/stories/${encodeURIComponent(me.id)}/version`);
    if (me.version === null) me.version = now.version;
    if (now.version !== me.version) await redraw(me);
  } catch (err) {
    if (err.status === 404 && me === live) gone(me);
  } finally {
    me.busy = false;
  }
}

// Fetch the story again and draw it with what changed marked; the reader keeps their place on the page.
async function redraw(me) {
  const old = state.story && state.story.id === me.id ? state.story.data : null;
  const data = await api("/api/stories/" + encodeURIComponent(me.id));
  if (me !== live) return;
  me.version = data.version;
  const changes = old ? diffStory(old, data) : null;
  state.story = { id: me.id, data };
  const y = window.scrollY;
  const open = [...view.querySelectorAll("details[open][data-article]")].map((d) => d.dataset.article);
  const notice = changes ? liveNotice(changes, data) : null;
  clear(view).appendChild(storyPage(data, null, changes, notice));
  for (const aid of open) {
    const card = view.querySelector(`details[data-article="${CSS.escape(aid)}"]`);
    if (card) card.open = true;
  }
  window.scrollTo(0, y);
}

// What a new version of a story adds: sources (articles), claims (by wording) and disagreements
// (differences, and claims that became disputed).
export function diffStory(old, data) {
  const had = (list, key) => new Set((list || []).map(key));
  const oldArticles = had(old.articles, (a) => a.id);
  const oldClaims = had(old.claims, (c) => c.text);
  const oldDisputed = had((old.claims || []).filter((c) => c.status === "disputed"), (c) => c.text);
  const oldDiffs = had(old.differences, (d) => d.summary);
  const articles = new Set(data.articles.filter((a) => !oldArticles.has(a.id)).map((a) => a.id));
  const claims = new Set((data.claims || []).filter((c) => !oldClaims.has(c.text)).map((c) => c.text));
  const differences = new Set((data.differences || []).filter((d) => !oldDiffs.has(d.summary)).map((d) => d.summary));
  const disputed = (data.claims || []).filter((c) => c.status === "disputed" && !oldDisputed.has(c.text));
  for (const c of disputed) claims.add(c.text);
  const removed = [...oldArticles].filter((aid) => !data.articles.some((a) => a.id === aid));
  return { articles, claims, differences, disagreements: differences.size + disputed.length, removed };
}

function liveNotice(changes, data) {
  const byId = new Map(data.articles.map((a) => [a.id, a]));
  const parts = [];
  if (changes.articles.size) {
    parts.push(`${plural(changes.articles.size, "new source")} (${[...changes.articles].map((aid) =>
      sourceName(byId.get(aid), data.articles.findIndex((a) => a.id === aid) + 1)).join(", ")})`);
  }
  if (changes.claims.size) parts.push(plural(changes.claims.size, "new claim"));
  if (changes.disagreements) parts.push(plural(changes.disagreements, "new disagreement"));
  if (changes.removed.length) parts.push(plural(changes.removed.length, "report") + " removed");
  const text = parts.length ? "Updated just now: " + parts.join(", ") + "." : "Updated just now: the story was revised.";
  return h("div", { class: "live-notice", role: "status", "aria-live": "polite" }, text,
    changes.articles.size ? [" ", h("a", { href: "#sec-sources", class: "jump", on: { click: (event) => {
      event.preventDefault();
      const card = view.querySelector(".source.is-new");
      if (card) { card.open = true; card.scrollIntoView({ block: "start" }); card.focus({ preventScroll: true }); }
    } } }, "Show the new source")] : null);
}

// The story's articles moved to another story (merged) or were all deleted.
async function gone(me) {
  stopLive();
  const old = state.story && state.story.id === me.id ? state.story.data : null;
  let where = null;
  for (const a of (old && old.articles) || []) {
    try {
      const now = await api("/api/articles/" + encodeURIComponent(a.id));
      if (now.story) { where = now.story; break; }
    } catch (_) { /* deleted */ }
  }
  const status = view.querySelector(".live-status");
  const note = h("div", { class: "live-notice gone", role: "alert" }, "This story has changed: ",
    where ? ["its reports are now part of ", h("a", { href: "#/story/" + encodeURIComponent(where) }, "another story"), "."]
      : "its reports were removed.");
  if (status) status.replaceWith(note);
  else view.prepend(note);
}

// An article was edited or deleted from the story page: redraw now rather than at the next poll.
async function storyChanged(kind) {
  if (!live) return;
  if (kind === "deleted") {
    try {
      await redraw(live);
    } catch (err) {
      if (err.status === 404) location.hash = "#/";
    }
    return;
  }
  await redraw(live);
}

// An article was deleted from its own page: back to its story if the story is still there, else home.
async function articleChanged(kind, article) {
  if (kind !== "deleted") return;
  let where = "#/";
  if (article.story) {
    try {
      await api(`/api/stories/${encodeURIComponent(article.story)}/version`);
      where = "#/story/" + encodeURIComponent(article.story);
    } catch (_) { /* the story went with it */ }
  }
  location.hash = where;
}

// ---------------------------------------------------------------------------------------------- chrome

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = new FormData(event.target).get("q").trim();
  if (q) location.hash = "#/search/" + encodeURIComponent(q);
});
// The skip link moves focus to the page's content without touching the hash (the router owns it).
document.querySelector(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  view.focus();
});
window.addEventListener("hashchange", route);
route();
