// The router of the single-page desk: #/ (stories and the add form), #/story/ID[/source/ARTICLE],
// #/entity/ID, #/article/ID, #/search/QUERY. Pages are rebuilt from the API on each visit.

import { api, clear, h } from "./dom.js";
import { renderStory } from "./story.js";
import { renderArticle, renderEntity, renderHome, renderSearch } from "./views.js";

const view = document.getElementById("view");
const state = { highlight: null, refreshList: null, story: null };
let generation = 0;
let poll = null;

async function route() {
  const mine = ++generation;
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const [page, id, sub, target] = parts;
  clearInterval(poll);
  state.refreshList = null;
  document.body.dataset.page = page || "home";
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
      node = renderStory(data, sub && target ? { kind: sub, id: target } : null);
      document.title = (data.stories[0] ? data.stories[0].title : id) + " · rashomon";
    } else if (page === "entity" && id) {
      node = await renderEntity(id);
    } else if (page === "article" && id) {
      node = await renderArticle(id);
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

document.getElementById("search").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = new FormData(event.target).get("q").trim();
  if (q) location.hash = "#/search/" + encodeURIComponent(q);
});
window.addEventListener("hashchange", route);
route();
