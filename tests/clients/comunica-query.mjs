// Run SPARQL queries with Comunica (@comunica/query-sparql, the engine behind comunica-sparql) against one SPARQL
// endpoint and print each result as one line of JSON on stdout, in the order given:
//   node comunica-query.mjs ENDPOINT_URL QUERY [QUERY…]
//   SELECT → {"type":"bindings","variables":[…],"rows":[{var: term}…]}   (queryBindings)
//   CONSTRUCT/DESCRIBE → {"type":"quads","quads":[[s, p, o]…]}           (queryQuads)
//   ASK → {"type":"boolean","boolean":…}                                 (queryBoolean)
// A term is {"termType", "value"}, and for a literal "language" (or "") and "datatype". The source is declared
// a SPARQL endpoint (type 'sparql'), as `comunica-sparql sparql@URL` does, so Comunica sends each query there
// its own way (its method, its Accept, its own extra requests). Several queries share one start-up of Node.
// Exit 1 with the error on stderr when Comunica fails.
import { QueryEngine } from '@comunica/query-sparql';

const [endpoint, ...queries] = process.argv.slice(2);
if (!endpoint || queries.length === 0) {
  console.error('usage: node comunica-query.mjs ENDPOINT_URL QUERY [QUERY…]');
  process.exit(2);
}

function term(t) {
  const out = { termType: t.termType, value: t.value };
  if (t.termType === 'Literal') {
    out.language = t.language;
    out.datatype = t.datatype.value;
  }
  return out;
}

async function run(engine, query) {
  const context = { sources: [{ type: 'sparql', value: endpoint }] };
  const result = await engine.query(query, context);
  if (result.resultType === 'bindings') {
    const meta = await result.metadata();
    const variables = meta.variables.map((v) => (v.variable ?? v).value);
    const rows = (await (await result.execute()).toArray()).map((b) => {
      const row = {};
      for (const [variable, value] of b) row[variable.value] = term(value);
      return row;
    });
    return { type: 'bindings', variables, rows };
  }
  if (result.resultType === 'quads') {
    const quads = await (await result.execute()).toArray();
    return { type: 'quads', quads: quads.map((q) => [term(q.subject), term(q.predicate), term(q.object)]) };
  }
  return { type: 'boolean', boolean: await result.execute() };
}

const engine = new QueryEngine();
try {
  for (const query of queries) process.stdout.write(JSON.stringify(await run(engine, query)) + '\n');
} catch (error) {
  console.error(`comunica: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}
