// Code that runs the current query elsewhere: curl, Python (SPARQLWrapper), R (httr). Pure functions.
import { isGraphForm } from "./sparqlinfo.js";

const shellQuote = (s) => "'" + s.replace(/'/g, "'\\''") + "'";

function pyString(s) {
  // A triple-quoted Python string: backslashes and runs of quotes escaped, so the text comes back unchanged.
  return '"""' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"""';
}

function rString(s) {
  return '"' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n") + '"';
}

/** ``{curl, python, r}`` for a named query run by URL with its parameters bound by the server
 * (``url`` = ``…/queries/<group>/<name>?param=value``): the result as CSV (or Turtle for a graph). */
export function namedSnippets(url, form) {
  const graph = isGraphForm(form);
  const format = graph ? "turtle" : "csv";
  const full = url + (url.includes("?") ? "&" : "?") + "format=" + format;
  const note = "named query: its parameters are bound by the server (substitution), so it is run by its URL";
  return {
    curl: `# ${note}\ncurl -s ${shellQuote(full)}\n`,
    python: `# ${note}\nimport csv\nimport io\nimport urllib.request\n\n` +
      `with urllib.request.urlopen(${JSON.stringify(full)}) as response:\n    text = response.read().decode("utf-8")\n` +
      (graph ? "print(text)\n" : "for row in csv.DictReader(io.StringIO(text)):\n    print(row)\n"),
    r: `# ${note}\n` + (graph ? `cat(readLines(${rString(full)}, encoding = "UTF-8"), sep = "\\n")\n`
      : `results <- read.csv(${rString(full)}, encoding = "UTF-8")\nprint(results)\n`),
  };
}

/** ``{curl, python, r}`` for ``query`` against ``endpoint``; ``form`` is the query form (SELECT, CONSTRUCT…). */
export function snippets(endpoint, query, form) {
  const graph = isGraphForm(form);
  const accept = graph ? "text/turtle" : "text/csv";
  const curl = `curl -s ${shellQuote(endpoint)} \\\n  -H ${shellQuote("Accept: " + accept)} \\\n` +
    `  --data-urlencode ${shellQuote("query=" + query)}\n`;
  const python = graph
    ? `from SPARQLWrapper import SPARQLWrapper, TURTLE\n\nsparql = SPARQLWrapper(${JSON.stringify(endpoint)})\n` +
      `sparql.setMethod("POST")\nsparql.setQuery(${pyString(query)})\nsparql.setReturnFormat(TURTLE)\n` +
      `print(sparql.query().convert().decode("utf-8"))\n`
    : `from SPARQLWrapper import SPARQLWrapper, JSON\n\nsparql = SPARQLWrapper(${JSON.stringify(endpoint)})\n` +
      `sparql.setMethod("POST")\nsparql.setQuery(${pyString(query)})\nsparql.setReturnFormat(JSON)\n` +
      `results = sparql.query().convert()\nfor row in results["results"]["bindings"]:\n` +
      `    print({name: term["value"] for name, term in row.items()})\n`;
  const r = `library(httr)\n\nendpoint <- ${rString(endpoint)}\nquery <- ${rString(query)}\n` +
    `response <- POST(endpoint, body = list(query = query), encode = "form", accept(${rString(accept)}))\n` +
    `stop_for_status(response)\n` +
    (graph ? `cat(content(response, as = "text", encoding = "UTF-8"))\n`
      : `results <- read.csv(text = content(response, as = "text", encoding = "UTF-8"))\nprint(results)\n`);
  return { curl, python, r };
}
