// Filters the story index in place: rows are only shown or hidden, never built from strings, so nothing
// from an article can become markup. Allowed by the page's Content-Security-Policy through its hash.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll(".index-table tbody tr"));
  var shown = document.getElementById("shown");
  var none = document.getElementById("none");
  function apply() {
    var q = form.q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var from = form.from.value, to = form.to.value, outlet = form.outlet.value;
    var language = form.language.value, size = parseInt(form.size.value, 10) || 0;
    var count = 0;
    rows.forEach(function (row) {
      var d = row.dataset, date = d.date || "";
      var ok = q.every(function (w) { return d.search.indexOf(w) >= 0; })
        && (!from || (date && date.slice(0, from.length) >= from.slice(0, date.length)))
        && (!to || (date && date.slice(0, to.length) <= to))
        && (!outlet || d.outlets.split("\n").indexOf(outlet) >= 0)
        && (!language || d.languages.split(" ").indexOf(language) >= 0)
        && parseInt(d.size, 10) >= size;
      row.hidden = !ok;
      if (ok) count += 1;
    });
    shown.textContent = count + " of " + rows.length + " stories shown. Each opens on its own page.";
    if (none) none.hidden = count > 0;
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  apply();
})();
