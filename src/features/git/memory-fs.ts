/**
 * A minimal in-memory file system with the promise API isomorphic-git asks of one. A git
 * operation runs on one of these, rebuilt from the database, so no instance keeps a repository
 * on its own disk; `filesUnder` reads back what the operation wrote.
 */

type Entry = { kind: "file"; data: Buffer; mode: number } | { kind: "dir" };

function fsError(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code, path });
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return `/${parts.join("/")}`;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

class Stat {
  constructor(
    private readonly entry: Entry,
    readonly ino: number,
  ) {}
  get type() {
    return this.entry.kind === "dir" ? "dir" : "file";
  }
  get mode() {
    return this.entry.kind === "dir" ? 0o40755 : this.entry.mode;
  }
  get size() {
    return this.entry.kind === "file" ? this.entry.data.byteLength : 0;
  }
  readonly mtimeMs = 0;
  readonly ctimeMs = 0;
  readonly uid = 1;
  readonly gid = 1;
  readonly dev = 1;
  isFile() {
    return this.entry.kind === "file";
  }
  isDirectory() {
    return this.entry.kind === "dir";
  }
  isSymbolicLink() {
    return false;
  }
}

/** An empty in-memory tree with `/` in it. */
export class MemoryFs {
  private readonly entries = new Map<string, Entry>([["/", { kind: "dir" }]]);

  /** Put a file (and its folders) in place; for loading a repository before an operation. */
  put(path: string, data: Uint8Array | string): void {
    const at = normalize(path);
    this.mkdirs(parentOf(at));
    this.entries.set(at, { kind: "file", data: Buffer.from(data), mode: 0o100644 });
  }

  /** Every file under `folder`, by its path relative to it. */
  filesUnder(folder: string): Map<string, Uint8Array> {
    const prefix = `${normalize(folder)}/`;
    const found = new Map<string, Uint8Array>();
    for (const [path, entry] of this.entries)
      if (entry.kind === "file" && path.startsWith(prefix)) found.set(path.slice(prefix.length), entry.data);
    return found;
  }

  private mkdirs(path: string): void {
    if (this.entries.get(path)?.kind === "dir") return;
    if (path !== "/") this.mkdirs(parentOf(path));
    this.entries.set(path, { kind: "dir" });
  }

  private file(path: string): Entry & { kind: "file" } {
    const entry = this.entries.get(normalize(path));
    if (!entry) throw fsError("ENOENT", path);
    if (entry.kind !== "file") throw fsError("EISDIR", path);
    return entry;
  }

  private stat(path: string): Stat {
    const at = normalize(path);
    const entry = this.entries.get(at);
    if (!entry) throw fsError("ENOENT", path);
    return new Stat(entry, at.length);
  }

  /** The promise API isomorphic-git takes as `fs`. */
  readonly promises = {
    readFile: async (path: string, options?: { encoding?: string } | string) => {
      const data = this.file(path).data;
      const encoding = typeof options === "string" ? options : options?.encoding;
      return encoding ? data.toString(encoding as BufferEncoding) : data;
    },
    writeFile: async (path: string, data: Uint8Array | string, options?: { mode?: number }) => {
      const at = normalize(path);
      const parent = this.entries.get(parentOf(at));
      if (parent?.kind !== "dir") throw fsError("ENOENT", path);
      if (this.entries.get(at)?.kind === "dir") throw fsError("EISDIR", path);
      this.entries.set(at, { kind: "file", data: Buffer.from(data), mode: options?.mode ?? 0o100644 });
    },
    unlink: async (path: string) => {
      this.file(path);
      this.entries.delete(normalize(path));
    },
    readdir: async (path: string) => {
      const at = normalize(path);
      const entry = this.entries.get(at);
      if (!entry) throw fsError("ENOENT", path);
      if (entry.kind !== "dir") throw fsError("ENOTDIR", path);
      const prefix = at === "/" ? "/" : `${at}/`;
      const names: string[] = [];
      for (const key of this.entries.keys())
        if (key !== at && key.startsWith(prefix) && !key.slice(prefix.length).includes("/"))
          names.push(key.slice(prefix.length));
      return names.sort();
    },
    mkdir: async (path: string) => {
      const at = normalize(path);
      if (this.entries.has(at)) throw fsError("EEXIST", path);
      if (this.entries.get(parentOf(at))?.kind !== "dir") throw fsError("ENOENT", path);
      this.entries.set(at, { kind: "dir" });
    },
    rmdir: async (path: string) => {
      const at = normalize(path);
      if (this.entries.get(at)?.kind !== "dir") throw fsError("ENOENT", path);
      for (const key of this.entries.keys()) if (key.startsWith(`${at}/`)) throw fsError("ENOTEMPTY", path);
      this.entries.delete(at);
    },
    stat: async (path: string) => this.stat(path),
    lstat: async (path: string) => this.stat(path),
    readlink: async (path: string): Promise<string> => {
      throw fsError("EINVAL", path);
    },
    symlink: async (_target: string, path: string): Promise<void> => {
      throw fsError("EPERM", path);
    },
    chmod: async (path: string, mode: number) => {
      this.file(path).mode = mode;
    },
  };
}
