/**
 * How long the asset build takes, in all and stage by stage: wall time and CPU time (this
 * process's user + system, Bun.build's own threads included), since other work on the machine
 * stretches wall time but hardly CPU time.
 * Run: `bun test/bench/asset-build.ts` (env RUNS, default 3). Writes test/bench/results/asset-build.json.
 *
 * Everything is built into scratch folders, never public/assets (a server or test may be using
 * it). Each run measures, in this order:
 * - baseline: a bare Bun.build of one tiny entry, the floor any bundling stage pays here;
 * - each stage alone: Tailwind (in process), the editor island, the shell, the service worker;
 * - all: the whole build as `bun run assets` does it (stages side by side), in this process;
 * - cold: the same in a new `bun` process, module loading included — what `bun run start` and
 *   postinstall pay when the inputs changed (CPU from the child's rusage).
 * Target: cold ≤ 5 s wall on a quiet machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildInto,
  bundleEditor,
  bundleServiceWorker,
  bundleShell,
  tailwind,
} from "../../scripts/build-assets.ts";

const root = join(import.meta.dir, "..", "..");
const TARGET_MS = 5000;

// The child of the `cold` stage: one whole build into the folder it is given, then exit.
if (process.argv[2] === "--child") {
  await buildInto(process.argv[3]!);
  process.exit(0);
}

const RUNS = Number(process.env.RUNS ?? 3);
const scratch = () => mkdtempSync(join(tmpdir(), "aura-asset-bench-"));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

interface Sample {
  wallMs: number;
  cpuMs: number;
}

async function measure(work: (into: string) => Promise<unknown>): Promise<Sample> {
  const into = scratch();
  try {
    const wall = performance.now();
    const cpu = cpuMs();
    await work(into);
    return { wallMs: performance.now() - wall, cpuMs: cpuMs() - cpu };
  } finally {
    rmSync(into, { recursive: true, force: true });
  }
}

async function cold(): Promise<Sample> {
  const into = scratch();
  try {
    const wall = performance.now();
    const child = Bun.spawn(["bun", import.meta.path, "--child", into], { cwd: root, stderr: "inherit" });
    if ((await child.exited) !== 0) throw new Error("the build failed in the child process");
    const usage = child.resourceUsage();
    return {
      wallMs: performance.now() - wall,
      cpuMs: usage ? Number(usage.cpuTime.total) / 1000 : Number.NaN,
    };
  } finally {
    rmSync(into, { recursive: true, force: true });
  }
}

const tiny = join(root, "src/client/shell/dom.ts");
const stages: Record<string, () => Promise<Sample>> = {
  baseline: () =>
    measure(async (into) => {
      const result = await Bun.build({ entrypoints: [tiny], outdir: into, minify: true, target: "browser" });
      if (!result.success) throw new AggregateError(result.logs, "baseline build failed");
    }),
  tailwind: () => measure(() => tailwind()),
  editor: () => measure((into) => bundleEditor(into)),
  shell: () => measure((into) => bundleShell(into)),
  serviceWorker: () => measure((into) => bundleServiceWorker(into)),
  all: () => measure((into) => buildInto(into)),
  cold,
};

const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(stages).map((k) => [k, []]));
const load = [loadavg()[0] ?? 0];
for (let run = 0; run < RUNS; run++) {
  for (const [name, stage] of Object.entries(stages)) samples[name]!.push(await stage());
  load.push(loadavg()[0] ?? 0);
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (x: number) => Math.round(x);
const medians = Object.fromEntries(
  Object.entries(samples).map(([name, s]) => [
    name,
    { wallMs: round(median(s.map((x) => x.wallMs))), cpuMs: round(median(s.map((x) => x.cpuMs))) },
  ]),
);

// Other work on the machine stretches wall time: say how busy it was.
const machine = `${cpus().length} CPUs, load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`;
console.log(`asset build, median of ${RUNS} runs (${machine})`);
for (const [name, m] of Object.entries(medians))
  console.log(`  ${name.padEnd(14)} ${`${m.wallMs} ms`.padStart(9)} wall ${`${m.cpuMs} ms`.padStart(9)} CPU`);
console.log(`cold build: ${medians.cold!.wallMs} ms wall (target ≤ ${TARGET_MS} ms on a quiet machine)`);

const outDir = join(import.meta.dir, "results");
mkdirSync(outDir, { recursive: true });
const report = {
  date: new Date().toISOString(),
  runs: RUNS,
  machine,
  targetMs: TARGET_MS,
  medianMs: medians,
  samplesMs: Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [
      name,
      s.map((x) => ({ wallMs: round(x.wallMs), cpuMs: round(x.cpuMs) })),
    ]),
  ),
};
writeFileSync(join(outDir, "asset-build.json"), `${JSON.stringify(report, null, 2)}\n`);
