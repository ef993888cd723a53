/**
 * Build the browser assets into public/assets/ with content-hashed names and write
 * src/generated/assets.ts, which imports each file `with { type: "file" }` so the same
 * manifest serves from disk in development and from the compiled binary in production.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import { minify } from "terser";

const root = join(import.meta.dir, "..");
const outDir = join(root, "public", "assets");
const generated = join(root, "src", "generated", "assets.ts");

interface Built {
  /** Logical name used by views, e.g. "app.css". */
  name: string;
  bytes: Uint8Array;
}

async function tailwind(): Promise<Built> {
  const bin = join(root, "node_modules", ".bin", "tailwindcss");
  const proc = Bun.spawnSync([bin, "-i", join(root, "src/client/app.css"), "-o", "-", "--minify"], {
    cwd: root,
    stderr: "pipe",
  });
  if (proc.exitCode !== 0) throw new Error(`tailwindcss failed:\n${proc.stderr.toString()}`);
  return { name: "app.css", bytes: proc.stdout };
}

/**
 * Squeeze Bun's minified output with terser (one compress pass, top-level names mangled —
 * safe in ES modules, whose exports keep their names): 3% fewer gzipped bytes in all, which
 * the budgets in test/client/budgets.test.ts need. Bun's content hashes stay valid names,
 * since the same input always gives the same output.
 */
async function squeeze(outputs: { path: string }[]): Promise<void> {
  await Promise.all(
    outputs
      .filter((o) => o.path.endsWith(".js"))
      .map(async ({ path }) => {
        const result = await minify(readFileSync(path, "utf8"), {
          module: true,
          ecma: 2020,
          compress: { passes: 2 },
          mangle: { toplevel: true },
        });
        if (result.code === undefined) throw new Error(`terser produced nothing for ${path}`);
        writeFileSync(path, result.code);
      }),
  );
}

/**
 * Bundle the CodeMirror island as ESM with code splitting: languages, completion, search and the
 * merge view are dynamic imports, so they land in chunks the entry fetches by relative URL from
 * /assets/. Bun.build rather than esbuild: esbuild is 1 KB gzip smaller in total, but its
 * chunk for a dynamic import also imports every chunk its modules' imports touch, so the
 * JavaScript grammar drags in @codemirror/autocomplete again (+13 KB on a .js page).
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
  await squeeze(result.outputs);
  return result.outputs.map((o) => {
    const file = basename(o.path);
    return { name: o.kind === "entry-point" ? "editor.js" : file, file };
  });
}

/** Bundle the project page's glue (src/client/shell/index.ts) into one small hashed module, shell.js. */
export async function bundleShell(into = outDir): Promise<{ name: string; file: string }[]> {
  const result = await Bun.build({
    entrypoints: [join(root, "src/client/shell/index.ts")],
    outdir: into,
    format: "esm",
    minify: true,
    target: "browser",
    naming: { entry: "shell.[hash].[ext]" },
  });
  if (!result.success) throw new AggregateError(result.logs, "shell build failed");
  await squeeze(result.outputs);
  return result.outputs.map((o) => ({ name: "shell.js", file: basename(o.path) }));
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

export async function buildAssets(): Promise<string[]> {
  const built = [await tailwind(), copy("htmx.js", "node_modules/htmx.org/dist/htmx.min.js")];

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const entries: { name: string; url: string; path: string; immutable: boolean }[] = [];
  for (const { name, bytes } of built) {
    const file = hashed(name, bytes);
    writeFileSync(join(outDir, file), bytes);
    entries.push({ name, url: `/assets/${file}`, path: join(outDir, file), immutable: true });
  }
  for (const { name, file } of [...(await bundleEditor()), ...(await bundleShell())]) {
    entries.push({ name, url: `/assets/${file}`, path: join(outDir, file), immutable: true });
  }
  // Files at the top of public/ keep their names (favicon, robots.txt) and a short cache.
  for (const file of readdirSync(join(root, "public"))) {
    const path = join(root, "public", file);
    if (statSync(path).isFile()) entries.push({ name: file, url: `/${file}`, path, immutable: false });
  }

  const imports = entries.map(
    (e, i) =>
      `import f${i} from "${relative(join(root, "src", "generated"), e.path)}" with { type: "file" };`,
  );
  const rows = entries.map(
    (e, i) =>
      `  ${JSON.stringify(e.name)}: { url: ${JSON.stringify(e.url)}, file: f${i} as string, immutable: ${e.immutable} },`,
  );
  mkdirSync(join(root, "src", "generated"), { recursive: true });
  writeFileSync(
    generated,
    '// @ts-nocheck -- the `type: "file"` imports resolve to paths, which TypeScript cannot type.\n' +
      `// Generated by scripts/build-assets.ts — do not edit.\n${imports.join("\n")}\n\n` +
      `export const assetFiles = {\n${rows.join("\n")}\n} as const;\n`,
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
