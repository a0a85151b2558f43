// Bundle src/main.js into baton/static/baton/build/ (ignored by git; `make install` rebuilds it).
import * as esbuild from "esbuild";

await esbuild.build({
  entryPoints: ["src/main.js"],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["es2020"],
  outfile: "../baton/static/baton/build/app.js",
  logLevel: "warning",
});
