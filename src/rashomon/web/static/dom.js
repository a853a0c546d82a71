// Small DOM and HTTP helpers. Every piece of text goes into the page through text nodes, never as markup,
// so article content (titles, bodies, quotes, outlets) can never inject HTML or script.

export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "on") {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else if (key.startsWith("on")) {
      throw new Error("event handlers go under 'on', never as attributes: " + key);
    } else if (key === "href") {
      const safe = safeHref(String(value));
      if (safe) node.setAttribute("href", safe);
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Links inside the app (#/...) and http(s) links to an article's page; anything else (javascript:, data:)
// from an article's metadata is dropped.
export function safeHref(value) {
  if (value.startsWith("#")) return value;
  try {
    const url = new URL(value, window.location.origin);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch (_) { /* not a URL */ }
  return null;
}

// A readable name for a source, never a file path or an internal id: its outlet, else its site's domain,
// else "Source N" (N: its number in the story's references) or a plain "Untitled report".
export function sourceName(a, n) {
  if (a && a.label) return a.label;
  if (a && a.outlet) return a.outlet;
  if (a && a.url) {
    try {
      const host = new URL(a.url).hostname.replace(/^www\./, "");
      if (host.includes(".")) return host;
    } catch (_) { /* not a URL */ }
  }
  return n ? `Source ${n}` : "Untitled report";
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : (many || one + "s")}`;
}

// ------------------------------------------------------------------------------------------------ API

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function api(path, options = {}) {
  const headers = Object.assign({ Accept: "application/json" }, options.headers || {});
  const token = sessionStorage.getItem("rashomon-token");
  if (token && options.method && options.method !== "GET") headers.Authorization = "Bearer " + token;
  let response;
  try {
    response = await fetch(path, Object.assign({}, options, { headers }));
  } catch (err) {
    throw new ApiError(0, "the server cannot be reached (" + err.message + ")");
  }
  let body = null;
  try {
    body = await response.json();
  } catch (_) { /* not JSON */ }
  if (!response.ok) {
    throw new ApiError(response.status, (body && body.error) || `HTTP ${response.status}`, body);
  }
  return body;
}

// --------------------------------------------------------------------------------------------- dates

// Contract dates are partial where the text is: YYYY-MM-DD, YYYY-MM or YYYY.
export function parseDate(value) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
  if (!m) return null;
  const precision = m[3] ? "day" : m[2] ? "month" : "year";
  return { time: Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1), precision };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function fmtDate(value) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value || "");
  if (!m) return value || "";
  if (m[3]) return `${+m[3]} ${MONTHS[+m[2] - 1]} ${m[1]}`;
  if (m[2]) return `${MONTHS[+m[2] - 1]} ${m[1]}`;
  return m[1];
}

// ---------------------------------------------------------------------------------------- word diff

// Longest-common-subsequence diff of two wordings, as [word, op] with op "=" (shared), "-" (only in a),
// "+" (only in b). Quotes are short, so the quadratic table is fine.
export function wordDiff(a, b) {
  const x = a.split(/\s+/).filter(Boolean);
  const y = b.split(/\s+/).filter(Boolean);
  const norm = (w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  const n = x.length, m = y.length;
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = norm(x[i]) === norm(y[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (norm(x[i]) === norm(y[j])) { out.push([y[j], "="]); i++; j++; }
    else if (table[i + 1][j] >= table[i][j + 1]) out.push([x[i++], "-"]);
    else out.push([y[j++], "+"]);
  }
  while (i < n) out.push([x[i++], "-"]);
  while (j < m) out.push([y[j++], "+"]);
  return out;
}

// ------------------------------------------------------------------------------------------- actions

// A button that asks once more before it acts (no window.confirm: the question stays in the page, where a
// keyboard or screen-reader user finds it next to the button).
export function confirmButton(label, question, action) {
  const wrap = h("span", { class: "confirm" });
  const start = h("button", { type: "button", class: "danger" }, label);
  const ask = h("span", { class: "confirm-ask", role: "alert", hidden: true }, question, " ",
    h("button", { type: "button", class: "danger yes" }, label),
    h("button", { type: "button", class: "secondary no" }, "Cancel"));
  start.addEventListener("click", () => { start.hidden = true; ask.hidden = false; ask.querySelector(".no").focus(); });
  ask.querySelector(".no").addEventListener("click", () => { ask.hidden = true; start.hidden = false; start.focus(); });
  ask.querySelector(".yes").addEventListener("click", async (event) => {
    event.target.disabled = true;
    try { await action(); } finally { event.target.disabled = false; }
  });
  wrap.append(start, ask);
  return wrap;
}

// The form that corrects an article's outlet and title (PATCH /api/articles/ID); ``done`` gets the article.
export function editForm(article, done) {
  const status = h("p", { class: "small", role: "status", "aria-live": "polite" });
  const form = h("form", { class: "edit-form", hidden: true },
    h("label", {}, "Outlet", h("input", { name: "outlet", type: "text", value: article.outlet || "" })),
    h("label", {}, "Title", h("input", { name: "title", type: "text", value: article.title || "" })),
    h("div", { class: "row-buttons" }, h("button", { type: "submit" }, "Save"),
      h("button", { type: "button", class: "secondary cancel" }, "Cancel")),
    status);
  const open = h("button", { type: "button", class: "secondary edit-open" }, "Edit outlet and title");
  open.addEventListener("click", () => { form.hidden = false; open.hidden = true; form.querySelector("input").focus(); });
  form.querySelector(".cancel").addEventListener("click", () => { form.hidden = true; open.hidden = false; open.focus(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form).entries());
    try {
      const saved = await api("/api/articles/" + encodeURIComponent(article.id), {
        method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data) });
      status.textContent = "Saved.";
      form.hidden = true;
      open.hidden = false;
      done(saved);
    } catch (err) {
      status.textContent = err.message;
    }
  });
  return h("div", { class: "edit" }, open, form);
}
