"""The small query page served at `/` to browsers."""

QUERY_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>conflict-kg SPARQL</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{font:14px system-ui,sans-serif;margin:20px;max-width:1100px}textarea{width:100%;height:170px;font:13px monospace}
table{border-collapse:collapse;margin-top:10px}td,th{border:1px solid #ccc;padding:3px 6px;font-size:12px;text-align:left}
#msg{color:#a00;white-space:pre-wrap}</style></head><body>
<h1>conflict-kg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/query</code> (GET or POST). Read-only unless the server has a write token.</p>
<textarea id="q">PREFIX ckg: <https://w3id.org/conflict-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?place (COUNT(DISTINCT ?attack) AS ?attacks) WHERE { GRAPH ?g {
  ?attack a ckg:Attack ; ckg:place/skos:prefLabel ?place } }
GROUP BY ?place ORDER BY DESC(?attacks) LIMIT 20</textarea>
<p><button id="run">Run</button> <span id="info"></span></p><div id="msg"></div><div id="out"></div>
<script>
document.getElementById("run").addEventListener("click", function () {
  var msg = document.getElementById("msg"), out = document.getElementById("out"), info = document.getElementById("info");
  msg.textContent = ""; out.textContent = ""; info.textContent = "running...";
  fetch("query", {method: "POST", headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json, text/turtle;q=0.5"},
                  body: document.getElementById("q").value})
  .then(function (r) { return r.text().then(function (t) { return {r: r, t: t}; }); })
  .then(function (x) {
    info.textContent = x.r.status + (x.r.headers.get("X-Result-Truncated") ? " (truncated)" : "");
    if (!x.r.ok) { msg.textContent = x.t; return; }
    if ((x.r.headers.get("Content-Type") || "").indexOf("json") < 0) { var pre = document.createElement("pre"); pre.textContent = x.t; out.appendChild(pre); return; }
    var j = JSON.parse(x.t);
    if (j.boolean !== undefined) { out.textContent = String(j.boolean); return; }
    var table = document.createElement("table"), head = document.createElement("tr");
    j.head.vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    table.appendChild(head);
    j.results.bindings.forEach(function (b) { var tr = document.createElement("tr");
      j.head.vars.forEach(function (v) { var td = document.createElement("td"); td.textContent = b[v] ? b[v].value : ""; tr.appendChild(td); });
      table.appendChild(tr); });
    out.appendChild(table); info.textContent += " \u00b7 " + j.results.bindings.length + " rows";
  }).catch(function (e) { msg.textContent = String(e); });
});
</script></body></html>
"""
