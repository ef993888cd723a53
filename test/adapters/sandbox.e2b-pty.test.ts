import { describe, expect, test } from "bun:test";
import { createE2BRunner, type E2BSdk } from "../../src/adapters/sandbox/e2b.ts";
import type { CreatePtySandbox } from "../../src/adapters/sandbox/e2b-pty.ts";
import { UnavailableError } from "../../src/errors.ts";
import { silentLogger } from "../helpers/logs.ts";

type PtySandbox = Awaited<ReturnType<CreatePtySandbox>>;

/**
 * A scripted stand-in for an E2B sandbox's files and PTY (the SDK's `files` and `pty` calls):
 * its "shell" echoes what it is sent and exits on "exit\r".
 */
function scriptedSandbox() {
  const files = new Map<string, string>();
  /** Bytes written as a Blob (a binary file), as the SDK would upload them. */
  const bytes = new Map<string, Uint8Array>();
  /** Entries that are no regular file: folders and links (path → link target, "" for a folder). */
  const others = new Map<string, string>();
  const calls: string[] = [];
  let onData: (data: Uint8Array) => void = () => {};
  let finish: (result: { exitCode: number }) => void = () => {};
  const encoder = new TextEncoder();
  const sandbox: PtySandbox = {
    sandboxId: "sbx-1",
    files: {
      write: async (path, data) => {
        if (typeof data !== "string") bytes.set(path, new Uint8Array(await data.arrayBuffer()));
        // Read back as the SDK reads text: invalid UTF-8 becomes U+FFFD.
        files.set(path, typeof data === "string" ? data : await data.text());
      },
      list: async (dir) => [
        ...[...files.keys()]
          .filter((p) => p.startsWith(`${dir}/`))
          .map((path) => ({ path, type: "file", size: files.get(path)!.length })),
        ...[...others]
          .filter(([p]) => p.startsWith(`${dir}/`))
          .map(([path, target]) =>
            target ? { path, type: "file", size: 0, symlinkTarget: target } : { path, type: "dir", size: 0 },
          ),
      ],
      read: async (path) => files.get(path) ?? "",
    },
    pty: {
      create: async (opts) => {
        calls.push(`create ${opts.cols}x${opts.rows} in ${opts.cwd} timeout ${opts.timeoutMs}`);
        onData = opts.onData;
        onData(encoder.encode("$ "));
        return {
          pid: 7,
          wait: () =>
            new Promise((resolve) => {
              finish = resolve;
            }),
        };
      },
      sendInput: async (pid, data) => {
        const text = new TextDecoder().decode(data);
        calls.push(`input ${pid} ${JSON.stringify(text)}`);
        onData(data);
        if (text === "exit\r") finish({ exitCode: 0 });
      },
      resize: async (pid, size) => {
        calls.push(`resize ${pid} ${size.cols}x${size.rows}`);
      },
      kill: async (pid) => {
        calls.push(`kill ${pid}`);
        return true;
      },
    },
    setTimeout: async () => undefined,
    kill: async () => {
      calls.push("sandbox killed");
    },
  };
  return { sandbox, files, bytes, others, calls };
}

const sdkWith = (createPtySandbox: CreatePtySandbox): E2BSdk => ({
  Sandbox: { create: () => Promise.reject(new Error("runs are not used here")) },
  createPtySandbox,
});

describe("E2B terminals through the SDK's PTY", () => {
  test("files go to the work dir, keystrokes and sizes to the PTY, files come back, close kills all", async () => {
    const fake = scriptedSandbox();
    const runner = createE2BRunner({
      apiKey: "k",
      logger: silentLogger(),
      sdk: sdkWith(async () => fake.sandbox),
    });
    let out = "";
    const pty = await runner.openPty({
      files: { "main.py": "print(1)\n", "lib/a.py": "A = 1\n", "img/dot.bin": new Uint8Array([0, 255, 7]) },
      cols: 100,
      rows: 30,
      onData: (d) => {
        out += new TextDecoder().decode(d);
      },
    });
    expect([...fake.files.keys()].sort()).toEqual([
      "/home/user/work/img/dot.bin",
      "/home/user/work/lib/a.py",
      "/home/user/work/main.py",
    ]);
    // A binary file goes up as its bytes, and a sync never reads it back as text.
    expect([...(fake.bytes.get("/home/user/work/img/dot.bin") ?? [])]).toEqual([0, 255, 7]);
    pty.write("ls\r");
    pty.resize(120, 40);
    await Bun.sleep(0);
    expect(out).toBe("$ ls\r");
    fake.files.set("/home/user/work/new.txt", "made\n");
    fake.files.set("/home/user/work/node_modules/x.js", "skipped\n");
    expect(await pty.readFiles()).toEqual({
      files: { "lib/a.py": "A = 1\n", "main.py": "print(1)\n", "new.txt": "made\n" },
      gone: [],
    });
    pty.write("exit\r");
    expect(await pty.exited).toEqual({ exitCode: 0 });
    await pty.close();
    expect(fake.calls).toEqual([
      "create 100x30 in /home/user/work timeout 0",
      'input 7 "ls\\r"',
      "resize 7 120x40",
      'input 7 "exit\\r"',
      "kill 7",
      "sandbox killed",
    ]);
    await runner.close();
  });

  test("of the paths asked about, only those with nothing left at them are gone", async () => {
    const fake = scriptedSandbox();
    const runner = createE2BRunner({
      apiKey: "k",
      logger: silentLogger(),
      sdk: sdkWith(async () => fake.sandbox),
    });
    const started = {
      "kept.py": "1\n",
      "deleted.py": "2\n",
      "lib/deleted.py": "3\n",
      "gone/dir/x.py": "4\n",
      "node_modules/pkg/index.js": "5\n",
      "linked/x.py": "6\n",
      "now-a-link.py": "7\n",
      "big.txt": "8\n",
      "now-a-folder/x.py": "9\n",
    };
    const pty = await runner.openPty({ files: started, cols: 80, rows: 24, onData: () => {} });
    const at = (path: string) => `/home/user/work/${path}`;
    for (const path of ["deleted.py", "lib/deleted.py", "gone/dir/x.py", "node_modules/pkg/index.js"])
      fake.files.delete(at(path));
    fake.others.set(at("lib"), "");
    // The folder became a link: what is behind it is not listed, and is not taken for deleted.
    fake.files.delete(at("linked/x.py"));
    fake.others.set(at("linked"), "/tmp");
    fake.files.delete(at("now-a-link.py"));
    fake.others.set(at("now-a-link.py"), "kept.py");
    fake.files.set(at("big.txt"), "x".repeat(1024 * 1024 + 1));
    // A file replaced by a folder of the same name is gone.
    fake.files.delete(at("now-a-folder/x.py"));
    fake.others.set(at("now-a-folder/x.py"), "");
    const read = await pty.readFiles(Object.keys(started));
    // Links are not read, as the local reader skips them.
    expect(Object.keys(read.files)).toEqual(["kept.py"]);
    expect(read.gone.sort()).toEqual(["deleted.py", "gone/dir/x.py", "lib/deleted.py", "now-a-folder/x.py"]);
    await pty.close();
    await runner.close();
  });

  test("a sandbox E2B cannot create is a 503", async () => {
    const runner = createE2BRunner({
      apiKey: "k",
      logger: silentLogger(),
      sdk: sdkWith(() => Promise.reject(new Error("quota"))),
    });
    const opening = runner.openPty({ files: {}, cols: 80, rows: 24, onData: () => {} });
    await expect(opening).rejects.toBeInstanceOf(UnavailableError);
    await runner.close();
  });
});
