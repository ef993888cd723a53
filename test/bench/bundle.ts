/**
 * Server bundle benchmark: what the binary evaluates before it can answer anything but
 * /healthz. Bundles `src/server.ts` (the application the boot loads right after opening the
 * port) the way `bun run build` does (target bun, minified), and reports its bytes per part of
 * the code — each feature, adapters, db, search, views, plugins, and every npm package — from
 * Bun's metafile. Beside it, in the same run: a bundle of a three-line Elysia app, and the time
 * a fresh `bun` process takes to import each bundle (median of RUNS, default 7).
 *
 * Run: `bun test/bench/bundle.ts`. Writes test/bench/results/bundle.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { median } from "./helpers.ts";

const ROOT = join(import.meta.dir, "..", "..");
const RUNS = Number(process.env.RUNS ?? 7);
const KB = 1024;

interface Bundle {
  file: string;
  bytes: number;
  /** bytes in the output per input file, relative to the repository. */
  inputs: Record<string, number>;
}

async function bundle(entry: string, outdir: string): Promise<Bundle> {
  const result = await Bun.build({
    entrypoints: [entry],
    outdir,
    target: "bun",
    minify: true,
    metafile: true,
    // Migrations are embedded as text in the binary; their bytes count as src/db.
    loader: { ".sql": "text" },
  });
  if (!result.success) throw new AggregateError(result.logs, `bundling ${entry} failed`);
  const [name, output] = Object.entries(result.metafile?.outputs ?? {}).find(([, o]) => o.entryPoint) ?? [];
  if (!name || !output) throw new Error(`no output for ${entry}`);
  const inputs: Record<string, number> = {};
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs))
    inputs[relative(ROOT, join(process.cwd(), path))] = bytesInOutput;
  const file = result.outputs.find((o) => o.kind === "entry-point")?.path;
  if (!file) throw new Error(`no entry point built for ${entry}`);
  return { file, bytes: output.bytes, inputs };
}

/** The part of the code an input belongs to: an npm package, or a folder of src/. */
function partOf(path: string): string {
  const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1] as string;
  const feature = path.match(/^src\/(features|adapters)\/([^/]+)/);
  if (feature) return `src/${feature[1]}/${feature[2]}`;
  const folder = path.match(/^(src\/[^/.]+|views|drizzle)\//);
  if (folder) return folder[1] === "drizzle" ? "src/db" : (folder[1] as string);
  return path.startsWith("src/") ? "src (top level)" : path;
}

/** Milliseconds a fresh process spends importing `file` (measured inside it, excluding startup). */
function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t); process.exit(0);`;
  const proc = Bun.spawnSync(["bun", "-e", script], {
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "silent" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const ms = Number(proc.stdout.toString().trim().split("\n").at(-1));
  if (proc.exitCode !== 0 || !Number.isFinite(ms))
    throw new Error(`importing ${file} failed:\n${proc.stderr.toString()}`);
  return ms;
}

// Inside node_modules, so that the hello entry resolves "elysia" as the app does.
const dir = mkdtempSync(join(ROOT, "node_modules", ".aura-bundle-"));
try {
  const helloEntry = join(dir, "hello.ts");
  writeFileSync(
    helloEntry,
    `import { Elysia } from "elysia";\nexport const app = new Elysia().get("/healthz", () => "ok");\n`,
  );
  const hello = await bundle(helloEntry, join(dir, "hello-out"));
  const app = await bundle(join(ROOT, "src", "server.ts"), join(dir, "app-out"));

  const parts = new Map<string, number>();
  for (const [path, bytes] of Object.entries(app.inputs))
    parts.set(partOf(path), (parts.get(partOf(path)) ?? 0) + bytes);
  const sorted = [...parts].sort((a, b) => b[1] - a[1]);

  const appMs: number[] = [];
  const helloMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    helloMs.push(importMs(hello.file));
    appMs.push(importMs(app.file));
  }

  const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
  console.log(
    `\nserver bundle (src/server.ts, minified): ${kb(app.bytes)}; Elysia hello: ${kb(hello.bytes)}`,
  );
  console.log(
    `import in a fresh process, median of ${RUNS}: app ${median(appMs).toFixed(1)} ms, hello ${median(helloMs).toFixed(1)} ms\n`,
  );
  const total = sorted.reduce((sum, [, b]) => sum + b, 0);
  for (const [part, bytes] of sorted.filter(([, b]) => b >= 4 * KB))
    console.log(
      `${part.padEnd(44)} ${kb(bytes).padStart(10)}  ${((bytes / total) * 100).toFixed(1).padStart(5)}%`,
    );
  const small = sorted.filter(([, b]) => b < 4 * KB);
  console.log(
    `${`${small.length} smaller parts`.padEnd(44)} ${kb(small.reduce((s, [, b]) => s + b, 0)).padStart(10)}`,
  );

  const out = join(import.meta.dir, "results", "bundle.json");
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        bun: Bun.version,
        runs: RUNS,
        app: { bytes: app.bytes, importMsMedian: median(appMs), importMs: appMs },
        hello: { bytes: hello.bytes, importMsMedian: median(helloMs), importMs: helloMs },
        parts: Object.fromEntries(sorted),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${relative(ROOT, out)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
