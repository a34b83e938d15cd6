// Builds the query page's script and styles into the Python package (src/cstograph/server/static/dist/),
// with fixed file names (the template names them) and no code splitting: one query.js, one query.css.
import { fileURLToPath } from "node:url";

import { defineConfig } from "vite";

export default defineConfig({
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("../src/cstograph/server/static/dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2020",
    modulePreload: false,
    sourcemap: false,
    cssCodeSplit: false,
    chunkSizeWarningLimit: 700,  // the SPARQL parser (sparqljs) is most of it: 160 kB gzipped in all
    rolldownOptions: {
      input: fileURLToPath(new URL("src/main.js", import.meta.url)),
      output: {
        entryFileNames: "query.js",
        assetFileNames: "query[extname]",
        codeSplitting: false,
      },
    },
  },
});
