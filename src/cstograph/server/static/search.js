// Suggestions for the search box in the site header, from /api/search (served as a file: the pages'
// Content-Security-Policy allows no inline script). Choosing a suggestion opens its page.
(function () {
  "use strict";
  var input = document.querySelector("header.site form.search input[name=q]");
  var list = document.getElementById("search-suggestions");
  if (!input || !list) return;
  var hrefs = {}, pending = null;
  function suggest() {
    var q = input.value.trim();
    if (q.length < 2) { list.textContent = ""; return; }
    if (pending) pending.abort();
    pending = new AbortController();
    fetch("/api/search?limit=8&q=" + encodeURIComponent(q), {signal: pending.signal})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (data) {
        list.textContent = ""; hrefs = {};
        data.results.forEach(function (r) {
          var option = document.createElement("option");
          option.value = r.label; hrefs[r.label] = r.href;
          list.appendChild(option);
        });
      })
      .catch(function () {});
  }
  input.addEventListener("input", function () {
    if (hrefs[input.value]) { window.location.href = hrefs[input.value]; return; }
    suggest();
  });
})();
