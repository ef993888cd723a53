/** Reading and writing cgroup control files, and removing groups (shared by cgroup v1 and v2). */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** How many times a group is killed and retried before it is given up (≈2 s in all). */
const REMOVE_TRIES = 400;
/** The wait before try `i`: the last processes of a finished run are usually gone within a millisecond or two. */
const retryDelay = (i: number): number => (i < 20 ? 1 : 5);

export const read = (file: string): string => readFileSync(file, "utf8");
/** The words of a list file (cgroup.controllers, cgroup.subtree_control); none if it is missing. */
export function words(file: string): string[] {
  try {
    return read(file).trim().split(/\s+/).filter(Boolean);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Write a control file that must exist. */
export const write = (file: string, value: string | number): void => writeFileSync(file, String(value));

/** Write a control file the kernel may not offer (no swap accounting, older kernels). */
export function writeIfPresent(file: string, value: string | number): void {
  try {
    writeFileSync(file, String(value), { flag: "r+" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** A `key value` line of a flat-keyed control file (memory.events, memory.oom_control). */
export function counter(file: string, key: string): number | undefined {
  try {
    const line = read(file)
      .split("\n")
      .find((l) => l.startsWith(`${key} `));
    return line === undefined ? undefined : Number(line.slice(key.length + 1));
  } catch {
    return undefined;
  }
}

export function numberIn(file: string): number | undefined {
  try {
    const n = Number(read(file).trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

export function mkdirExisting(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
}

/**
 * One attempt at removing a group: SIGKILL every process still in it (v2: cgroup.kill, which
 * also catches a process forking meanwhile), then rmdir each directory. The kernel refuses the
 * rmdir (EBUSY) while a killed process is still exiting, so callers retry.
 */
export function tryRemove(dirs: string[], killFile: string | undefined): boolean {
  let done = true;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    if (killFile) writeIfPresent(join(dir, killFile), 1);
    try {
      for (const pid of read(join(dir, "cgroup.procs")).split("\n").filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      rmdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") done = false;
    }
  }
  return done;
}

export function removeSync(dirs: string[], killFile: string | undefined): boolean {
  for (let i = 0; i < REMOVE_TRIES; i++) {
    if (tryRemove(dirs, killFile)) return true;
    Bun.sleepSync(retryDelay(i));
  }
  return false;
}

export async function removeAsync(dirs: string[], killFile: string | undefined): Promise<boolean> {
  for (let i = 0; i < REMOVE_TRIES; i++) {
    if (tryRemove(dirs, killFile)) return true;
    await Bun.sleep(retryDelay(i));
  }
  return false;
}

/** Remove every group a previous process of this instance left in `roots` (same names each). */
export function sweep(roots: string[], killFile: string | undefined): void {
  const [first] = roots;
  if (!first) return;
  const names = new Set(
    roots.flatMap((root) =>
      readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    ),
  );
  for (const name of names) {
    if (
      !removeSync(
        roots.map((root) => join(root, name)),
        killFile,
      )
    ) {
      throw new Error(`a stale group ${name} in ${first} could not be removed`);
    }
  }
}
