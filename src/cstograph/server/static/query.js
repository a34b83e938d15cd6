// The query page's behaviour (served as a file: the page's Content-Security-Policy allows no inline script).
(function(){
"use strict";
var endpoint = document.getElementById("f").getAttribute("action");
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
