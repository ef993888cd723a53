/**
 * Build the browser assets into public/assets/ with content-hashed names and write
 * src/generated/assets.ts, which imports each file `with { type: "file" }` so the same
 * manifest serves from disk in development and from the compiled binary in production.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative } from "node:path";
import { compile, optimize } from "@tailwindcss/node";
import { Scanner } from "@tailwindcss/oxide";

const root = join(import.meta.dir, "..");
const outDir = join(root, "public", "assets");
const generated = join(root, "src", "generated", "assets.ts");

interface Built {
  /** Logical name used by views, e.g. "app.css". */
  name: string;
  bytes: Uint8Array;
}

/**
 * Tailwind through its compile API, in this process (the CLI in a subprocess took ≈1 s of CPU for
 * the same CSS, this ≈0.4 s): compile app.css, scan the sources for class names as the CLI does — the whole project
 * (git-ignored files skipped) and every `@source` — then build and minify.
 */
export async function tailwind(): Promise<Built> {
  const input = join(root, "src/client/app.css");
  const compiler = await compile(readFileSync(input, "utf8"), {
    base: dirname(input),
    from: input,
    onDependency: () => {},
  });
  const project =
    compiler.root === "none"
      ? []
      : [compiler.root === null ? { base: root, pattern: "**/*" } : compiler.root];
  const scanner = new Scanner({
    sources: [...project.map((s) => ({ ...s, negated: false })), ...compiler.sources],
  });
  const css = optimize(compiler.build(scanner.scan()), { minify: true }).code;
  return { name: "app.css", bytes: new TextEncoder().encode(css) };
}

/**
 * Bundle the CodeMirror island as ESM with code splitting: languages, completion, search and the
 * merge view are dynamic imports, so they land in chunks the entry fetches by relative URL from
 * /assets/. Bun.build rather than esbuild: esbuild is 1 KB gzip smaller in total, but its
 * chunk for a dynamic import also imports every chunk its modules' imports touch, so the
 * JavaScript grammar drags in @codemirror/autocomplete again (+13 KB on a .js page).
 * Bun's minifier alone: a terser pass after it saved ≈3% gzip but took ≈11 s of CPU.
 * Returns each file's manifest name ("editor.js" for the entry) and its hashed file name.
 */
export async function bundleEditor(into = outDir): Promise<{ name: string; file: string }[]> {
  const result = await Bun.build({
    entrypoints: [join(root, "src/client/editor/index.ts")],
    outdir: into,
    splitting: true,
    format: "esm",
    minify: true,
    target: "browser",
    naming: { entry: "editor.[hash].[ext]", chunk: "chunk.[hash].[ext]", asset: "[name].[hash].[ext]" },
  });
  if (!result.success) throw new AggregateError(result.logs, "editor island build failed");
  return result.outputs.map((o) => {
    const file = basename(o.path);
    return { name: o.kind === "entry-point" ? "editor.js" : file, file };
  });
}

/** Bundle one browser module (no code splitting) into a hashed file named after `name`. */
async function bundleModule(
  entry: string,
  name: string,
  into: string,
): Promise<{ name: string; file: string }[]> {
  const result = await Bun.build({
    entrypoints: [join(root, entry)],
    outdir: into,
    format: "esm",
    minify: true,
    target: "browser",
    naming: { entry: `${basename(name, ".js")}.[hash].[ext]` },
  });
  if (!result.success) throw new AggregateError(result.logs, `${name} build failed`);
  return result.outputs.map((o) => ({ name, file: basename(o.path) }));
}

/** The project page's glue (src/client/shell/) as one small hashed module, shell.js. */
export const bundleShell = (into = outDir) => bundleModule("src/client/shell/index.ts", "shell.js", into);

/**
 * The terminal (src/client/terminal/: xterm, its fit addon and their glue) as one hashed module,
 * terminal.js. Nothing imports it statically: the shell loads it by the URL the terminal panel
 * carries, so it costs nothing until a terminal is opened.
 */
export const bundleTerminal = (into = outDir) =>
  bundleModule("src/client/terminal/index.ts", "terminal.js", into);

/** The signed-in pages' sign-out guard (src/client/signout.ts), signout.js. */
const bundleSignout = (into = outDir) => bundleModule("src/client/signout.ts", "signout.js", into);

/**
 * Bundle the offline service worker (src/client/service-worker.ts): service-worker.js, a script
 * without imports or exports. It is not served from /assets/: the offline route serves it at /sw.js with
 * this build's version and asset URLs in front (src/features/offline/service-worker.ts).
 */
export async function bundleServiceWorker(into = outDir): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(root, "src/client/service-worker.ts")],
    outdir: into,
    format: "esm",
    minify: true,
    target: "browser",
    naming: { entry: "service-worker.[ext]" },
  });
  if (!result.success) throw new AggregateError(result.logs, "service worker build failed");
  return join(into, "service-worker.js");
}

function copy(name: string, path: string): Built {
  return { name, bytes: readFileSync(join(root, path)) };
}

function hashed(name: string, bytes: Uint8Array): string {
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 10);
  const ext = extname(name);
  return `${basename(name, ext)}.${hash}${ext}`;
}

/** What the assets are made from: Tailwind scans views and sources for class names. */
const INPUTS = ["src", "views", "public", "scripts/build-assets.ts", "bun.lock", "package.json"];
/** Where the hash of the inputs of the last build is kept (beside the manifest it describes). */
const stamp = join(root, "src", "generated", "assets.inputs");

function* filesUnder(path: string): Generator<string> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) yield path;
  else if (stat.isDirectory())
    for (const entry of readdirSync(path).sort()) {
      // Outputs are not inputs.
      if (entry === "generated" || entry === "assets" || entry === "node_modules") continue;
      yield* filesUnder(join(path, entry));
    }
}

/** A content hash of every input file (its path and bytes): ≈30 ms for the whole tree. */
export function inputsHash(): string {
  const hash = createHash("sha256");
  for (const input of INPUTS)
    for (const file of filesUnder(join(root, input)))
      hash.update(relative(root, file)).update("\0").update(readFileSync(file));
  return hash.digest("hex");
}

/**
 * Build unless the inputs are those of the last build and its outputs are all there: a second
 * `bun run start` skips the build. Returns whether it built.
 */
export async function buildAssetsIfChanged(): Promise<boolean> {
  const hash = inputsHash();
  const previous = existsSync(stamp) ? readFileSync(stamp, "utf8") : "";
  if (previous === hash && existsSync(generated) && outputsPresent()) return false;
  await buildAssets();
  writeFileSync(stamp, hash);
  return true;
}

/** Every file the manifest names still exists (someone may have cleaned public/assets). */
function outputsPresent(): boolean {
  const manifest = readFileSync(generated, "utf8");
  const files = [...manifest.matchAll(/from "([^"]+)" with/g)].map((m) =>
    join(root, "src", "generated", m[1]!),
  );
  return files.length > 0 && files.every((file) => existsSync(file));
}

interface Entry {
  name: string;
  url: string;
  path: string;
  immutable: boolean;
}

/**
 * Build every asset into `into`, the independent builds side by side (Bun.build works on its own
 * threads, Tailwind here meanwhile): the hashed entries for the manifest and the service worker.
 */
export async function buildInto(into: string): Promise<{ entries: Entry[]; serviceWorker: string }> {
  const [css, editor, shell, terminal, signout, serviceWorker] = await Promise.all([
    tailwind(),
    bundleEditor(into),
    bundleShell(into),
    bundleTerminal(into),
    bundleSignout(into),
    bundleServiceWorker(into),
  ]);
  const entries: Entry[] = [];
  for (const { name, bytes } of [css, copy("htmx.js", "node_modules/htmx.org/dist/htmx.min.js")]) {
    const file = hashed(name, bytes);
    writeFileSync(join(into, file), bytes);
    entries.push({ name, url: `/assets/${file}`, path: join(into, file), immutable: true });
  }
  for (const { name, file } of [...editor, ...shell, ...terminal, ...signout])
    entries.push({ name, url: `/assets/${file}`, path: join(into, file), immutable: true });
  return { entries, serviceWorker };
}

export async function buildAssets(): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const { entries, serviceWorker } = await buildInto(outDir);
  // Files at the top of public/ keep their names (favicon, robots.txt) and a short cache.
  for (const file of readdirSync(join(root, "public"))) {
    const path = join(root, "public", file);
    if (statSync(path).isFile()) entries.push({ name: file, url: `/${file}`, path, immutable: false });
  }

  const from = (path: string) => relative(join(root, "src", "generated"), path);
  const imports = entries.map((e, i) => `import f${i} from "${from(e.path)}" with { type: "file" };`);
  const rows = entries.map(
    (e, i) =>
      `  ${JSON.stringify(e.name)}: { url: ${JSON.stringify(e.url)}, file: f${i} as string, immutable: ${e.immutable} },`,
  );
  mkdirSync(join(root, "src", "generated"), { recursive: true });
  writeFileSync(
    generated,
    '// @ts-nocheck -- the `type: "file"` imports resolve to paths, which TypeScript cannot type.\n' +
      `// Generated by scripts/build-assets.ts — do not edit.\n${imports.join("\n")}\n` +
      `import sw from "${from(serviceWorker)}" with { type: "file" };\n\n` +
      `export const assetFiles = {\n${rows.join("\n")}\n} as const;\n\n` +
      "/** The built offline service worker, served at /sw.js (not from /assets/). */\n" +
      "export const serviceWorkerFile: string = sw;\n",
  );
  return entries.map((e) => e.url);
}

if (import.meta.main) {
  const started = performance.now();
  // `--if-changed` (the start script): skip when nothing the assets are made from changed.
  if (process.argv.includes("--if-changed")) {
    const built = await buildAssetsIfChanged();
    if (built) console.log(`assets: built in ${Math.round(performance.now() - started)} ms`);
  } else {
    const urls = await buildAssets();
    writeFileSync(stamp, inputsHash());
    console.log(`assets: ${urls.length} files in ${Math.round(performance.now() - started)} ms`);
  }
}
