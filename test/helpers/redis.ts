import type { Subprocess } from "bun";
import { Redis } from "ioredis";

/** A key and channel prefix unique to this run, so parallel runs never touch each other's data. */
export function randomPrefix(): string {
  return `aura:test:${crypto.randomUUID().slice(0, 8)}:`;
}

/** Delete every key under `prefix` (and nothing else) on the server at `url`. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true });
  try {
    await client.connect();
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
}

/** Publish straight to Redis, bypassing any cache, and return how many connections received it. */
export async function rawPublish(url: string, channel: string, message: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
  try {
    await client.connect();
    return await client.publish(channel, message);
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = listener.port;
  listener.stop(true);
  return port;
}

async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true, retryStrategy: () => null });
  client.on("error", () => {}); // a refused connection is the expected answer while it starts
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false; // not up yet; the caller polls again
  } finally {
    client.disconnect();
  }
}

/**
 * A throwaway redis-server on a free port, with no persistence, for outage tests. `stop()` kills
 * it; `start()` brings it back on the same port.
 */
export class ThrowawayRedis {
  #process: Subprocess | undefined;

  private constructor(
    readonly binary: string,
    readonly port: number,
  ) {}

  /** The path of redis-server, or undefined when it is not installed. */
  static binary(): string | undefined {
    return Bun.which("redis-server") ?? undefined;
  }

  static async launch(binary: string): Promise<ThrowawayRedis> {
    const server = new ThrowawayRedis(binary, await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
    this.#process = Bun.spawn([this.binary, ...args], { stdout: "ignore", stderr: "ignore" });
    const deadline = Date.now() + 5_000;
    while (!(await answersPing(this.port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${this.port}`);
      await Bun.sleep(25);
    }
  }

  async stop(): Promise<void> {
    if (!this.#process) return;
    this.#process.kill("SIGKILL");
    await this.#process.exited;
    this.#process = undefined;
  }
}
