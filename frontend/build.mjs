// Bundle src/main.js (and src/calendar.js) into baton/static/baton/build/ (ignored by git; `make install` rebuilds it).
import { readFile } from "node:fs/promises";
import * as esbuild from "esbuild";

const common = {
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["es2020"],
  logLevel: "warning",
};

await esbuild.build({
  ...common,
  entryPoints: ["src/main.js"],
  outfile: "../baton/static/baton/build/app.js",
});

// FullCalendar's injected styles carry an icon font as a data: URL, which the CSP (font-src 'self')
// refuses; calendar.js uses plain arrows instead, so the @font-face rule is left out.
const withoutIconFont = {
  name: "fullcalendar-without-icon-font",
  setup(build) {
    build.onLoad({ filter: /@fullcalendar[\\/]core[\\/]internal-common\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      return { contents: source.replace(/@font-face\{font-family:fcicons;[^}]*\}/, ""), loader: "js" };
    });
  },
};

// FullCalendar is large: only the calendar pages load it (after app.js, which sets window.htmx).
await esbuild.build({
  ...common,
  plugins: [withoutIconFont],
  entryPoints: ["src/calendar.js"],
  outfile: "../baton/static/baton/build/calendar.js",
});
