// Writes dist/generated/schemas.node.js: the generated validators with the parts of zod/mini they
// use, in one module. Node loads an ES module graph file by file, and zod's entry points pull in
// every locale (about 90 modules, 50 ms on a 2-core box) on the first validated call; one bundled
// file loads in about 15 ms. Node takes it through the `#spec-schemas` import's "node" condition;
// bundlers take the plain module, so an application's own zod is shared, not duplicated.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/generated/schemas.js"],
  outfile: "dist/generated/schemas.node.js",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
