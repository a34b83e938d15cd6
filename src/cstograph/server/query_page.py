"""The query page: what a browser gets from a GET on the endpoint without a query.

A small self-contained page (no third-party assets): a textarea editor, the named example queries ready
to load and run, and the results of a run as a table, fetched from the endpoint itself as SPARQL JSON.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

from ..queries import NamedQuery

__all__ = ["render_query_page"]

_DEFAULT_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(?s) AS ?instances)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?instances)
LIMIT 20"""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cstograph SPARQL endpoint</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#1b1b1b}
h1{font-size:1.4rem;margin:.2rem 0 .6rem}
textarea{width:100%;box-sizing:border-box;min-height:14rem;font:13px/1.4 ui-monospace,monospace;padding:.5rem}
.bar{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin:.5rem 0}
button{padding:.35rem .9rem;font-size:.95rem;cursor:pointer}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f1f1f1}
#status{color:#555}.err{color:#a00;white-space:pre-wrap;font-family:ui-monospace,monospace}
#summary{color:#444;margin:.2rem 0}
</style></head>
<body>
<h1>cstograph — SPARQL 1.1 query endpoint</h1>
<p>POST or GET <code>{endpoint}</code> with <code>query=…</code> (SPARQL 1.1 Protocol). Read-only; time limit
{timeout} s; at most {max_rows} rows. <a href="{endpoint}?format=turtle">Service description</a> ·
<a href="{queries_url}">named queries (JSON)</a></p>
<form id="f" method="post" action="{endpoint}">
<div class="bar"><label for="examples">Example:</label>
<select id="examples"><option value="">— choose a named query —</option>{options}</select>
<span id="summary"></span></div>
<div class="bar" id="params"></div>
<textarea id="query" name="query" spellcheck="false">{default_query}</textarea>
<div class="bar"><button type="submit" id="run">Run</button>
<label>format for download <select name="format" id="format">
<option value="json">JSON</option><option value="xml">XML</option><option value="csv">CSV</option>
<option value="tsv">TSV</option><option value="turtle">Turtle</option><option value="ntriples">N-Triples</option>
<option value="jsonld">JSON-LD</option></select></label>
<button type="button" id="download">Open raw result</button>
<span id="status" role="status"></span></div>
</form>
<div id="out"></div>
<script type="application/json" id="named">{named_json}</script>
<script>
(function(){
"use strict";
var endpoint = {endpoint_json};
var named = JSON.parse(document.getElementById("named").textContent);
var q = document.getElementById("query"), out = document.getElementById("out");
var status = document.getElementById("status"), summary = document.getElementById("summary");
var params = document.getElementById("params"), current = null;
function choose(name){
  var item = named[name]; current = item ? name : null; params.textContent = "";
  if(!item) return;
  q.value = item.text; summary.textContent = item.summary;
  item.params.forEach(function(p){  // bound by the server (substitution) while the text is unchanged
    var label = document.createElement("label"), input = document.createElement("input");
    label.textContent = "?" + p.name + " "; input.name = p.name; input.value = p.default || "";
    input.title = p.datatype; label.appendChild(input); params.appendChild(label);
  });
}
document.getElementById("examples").addEventListener("change", function(e){ choose(e.target.value); });
function cell(term){
  if(!term) return "";
  if(term.type === "uri") {
    var a = document.createElement("a"); a.href = term.value; a.textContent = term.value; return a;
  }
  var s = term.value; if(term["xml:lang"]) s += " @" + term["xml:lang"];
  return s;
}
function table(vars, rows){
  var t = document.createElement("table"), tr = document.createElement("tr");
  vars.forEach(function(v){ var th = document.createElement("th"); th.textContent = "?" + v; tr.appendChild(th); });
  t.appendChild(tr);
  rows.forEach(function(r){
    var row = document.createElement("tr");
    vars.forEach(function(v){ var td = document.createElement("td"), c = cell(r[v]);
      if(typeof c === "string") td.textContent = c; else td.appendChild(c); row.appendChild(td); });
    t.appendChild(row);
  });
  return t;
}
function run(ev){
  if(ev) ev.preventDefault();
  status.textContent = "running…"; out.textContent = "";
  var t0 = performance.now();
  var accept = {"Accept": "application/sparql-results+json, application/n-triples;q=0.9"}, request;
  if(current && q.value === named[current].text){  // the named query, its parameters bound by the server
    var args = new URLSearchParams();
    params.querySelectorAll("input").forEach(function(i){ if(i.value) args.append(i.name, i.value); });
    request = fetch(named[current].url + "?" + args.toString(), {headers: accept});
  } else {
    request = fetch(endpoint, {method: "POST", body: new URLSearchParams({query: q.value}), headers: accept});
  }
  request
  .then(function(r){ return r.text().then(function(body){ return {r: r, body: body}; }); })
  .then(function(x){
    var ms = Math.round(performance.now() - t0);
    var ct = x.r.headers.get("Content-Type") || "";
    if(!x.r.ok){ status.textContent = "HTTP " + x.r.status + " (" + ms + " ms)";
      var p = document.createElement("p"); p.className = "err"; p.textContent = x.body; out.appendChild(p); return; }
    if(ct.indexOf("sparql-results+json") >= 0){
      var res = JSON.parse(x.body);
      if("boolean" in res){ status.textContent = ms + " ms"; out.textContent = "ASK: " + res.boolean; return; }
      status.textContent = res.results.bindings.length + " rows, " + ms + " ms";
      out.appendChild(table(res.head.vars, res.results.bindings));
    } else {
      status.textContent = ms + " ms";
      var pre = document.createElement("pre"); pre.textContent = x.body; out.appendChild(pre);
    }
  })
  .catch(function(e){ status.textContent = "failed: " + e; });
}
document.getElementById("f").addEventListener("submit", run);
if (location.hash.indexOf("#example=") === 0) {  // e.g. /sparql#example=examples/members-on-date
  var pick = decodeURIComponent(location.hash.slice(9).split("&")[0]);
  if (named[pick]) { document.getElementById("examples").value = pick; choose(pick); }
}
if (location.hash === "#run" || location.hash.indexOf("&run") > 0) run();
document.getElementById("download").addEventListener("click", function(){
  var u = endpoint + "?query=" + encodeURIComponent(q.value) + "&format=" + document.getElementById("format").value;
  window.open(u, "_blank");
});
})();
</script>
</body></html>
"""


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_query_page(
    *, endpoint: str, queries_url: str, named: Iterable[NamedQuery], timeout: float, max_rows: int
) -> str:
    """The page; ``queries_url`` is the base of the named queries (``…/queries``)."""
    items = {
        q.qualified_name: {
            "summary": q.summary,
            "text": q.text,
            "url": f"{queries_url}/{q.qualified_name}",
            "params": [{"name": p.name, "datatype": p.datatype, "default": p.resolved_default()} for p in q.params],
        }
        for q in named
    }
    options = "".join(
        f'<option value="{html.escape(name)}">{html.escape(name)} — {html.escape(str(item["summary"]))}</option>'
        for name, item in items.items()
    )
    values = {
        "endpoint": html.escape(endpoint),
        "queries_url": html.escape(queries_url),
        "timeout": f"{timeout:g}",
        "max_rows": str(max_rows),
        "options": options,
        "default_query": html.escape(_DEFAULT_QUERY),
        "named_json": _script_json(items),
        "endpoint_json": _script_json(endpoint),
    }
    page = _PAGE
    for key, value in values.items():
        page = page.replace("{" + key + "}", value)
    return page
