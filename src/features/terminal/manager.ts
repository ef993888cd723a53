import type { PtyExit, PtySession } from "../../adapters/sandbox/types.ts";
import { ConflictError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { OutputLog } from "./output-log.ts";

/** What a terminal's output reaches: one attached socket. */
export interface TerminalClient {
  /** Terminal bytes, in order. */
  data(bytes: Uint8Array): void;
  /** The terminal ended: say how, then hang up. */
  ended(end: TerminalEnd): void;
  /**
   * The session this client was opened with: when it ends (a logout) `ended` hangs up this
   * client only; the terminal itself goes on.
   */
  readonly session?: { id: string; ended(): void };
}

/** How a terminal ended: its shell exited (or hit a limit), it sat idle, or it was closed. */
export type TerminalEnd = PtyExit | { exitCode: null; error: "idle" | "closed" | "access" };

/** A project file as the terminal started from it (or as the last sync wrote it). */
export interface BaseFile {
  version: number;
  content: string;
}

/** One open terminal: its shell, what it printed lately, who is watching. */
export interface Terminal {
  readonly id: string;
  readonly projectId: string;
  readonly userId: string;
  readonly session: PtySession;
  readonly output: OutputLog;
  readonly clients: Set<TerminalClient>;
  /** The project's files as the terminal's working directory started (updated by each sync). */
  readonly base: Map<string, BaseFile>;
  lastActive: number;
}

export interface TerminalManagerOptions {
  logger: Logger;
  /** Open terminals one user may have on this instance. */
  perUser: number;
  /** A terminal with neither input nor output for this long is closed. */
  idleMs: number;
  /** Output kept for a socket that attaches later (64 KiB). */
  retainBytes: number;
  /** Whether a session is still active (not logged out); clients of ended ones are dropped. */
  sessionActive?: (sessionId: string, userId: string) => Promise<boolean>;
}

/** How often attached clients' sessions are checked (a logout drops them within this). */
const SESSION_CHECK_MS = 30_000;

type Open = (onData: (data: Uint8Array) => void) => Promise<PtySession>;

/**
 * The terminals of this process. A terminal lives where it was spawned: its shell, output log
 * and sockets are in this map, so every request for it must reach this instance (sticky
 * routing when there are several). Lookups are scoped to the terminal's owner and project.
 */
export class TerminalManager {
  readonly #terminals = new Map<string, Terminal>();
  /** Terminals per user, counting those still starting. */
  readonly #perUser = new Map<string, number>();
  readonly #sweeper: ReturnType<typeof setInterval>;
  readonly #sessionCheck: ReturnType<typeof setInterval>;

  constructor(readonly options: TerminalManagerOptions) {
    const every = Math.max(250, Math.min(60_000, Math.floor(options.idleMs / 4)));
    this.#sweeper = setInterval(() => this.#sweepIdle(), every);
    this.#sweeper.unref();
    this.#sessionCheck = setInterval(() => void this.recheckSessions(), SESSION_CHECK_MS);
    this.#sessionCheck.unref();
  }

  /**
   * Start a terminal for `userId` in `projectId` with `open` (which spawns the shell and feeds
   * it `onData`). A user at their limit gets a 409 naming it, before anything starts.
   */
  async open(params: {
    userId: string;
    projectId: string;
    base: Map<string, BaseFile>;
    open: Open;
  }): Promise<Terminal> {
    const { userId, projectId } = params;
    const count = this.#perUser.get(userId) ?? 0;
    if (count >= this.options.perUser)
      throw new ConflictError(
        `You have ${count} terminal${count === 1 ? "" : "s"} open, the most allowed; close one first`,
        { limit: this.options.perUser },
      );
    this.#perUser.set(userId, count + 1);
    const output = new OutputLog(this.options.retainBytes);
    let terminal: Terminal | undefined;
    const early: Uint8Array[] = [];
    try {
      const session = await params.open((data) => {
        // Output can arrive before `open` resolves: it is kept and sent in order.
        if (terminal) this.#print(terminal, data);
        else early.push(data.slice());
      });
      terminal = {
        id: crypto.randomUUID(),
        projectId: projectId.toLowerCase(),
        userId,
        session,
        output,
        clients: new Set(),
        base: params.base,
        lastActive: Date.now(),
      };
      for (const data of early) this.#print(terminal, data);
      this.#terminals.set(terminal.id, terminal);
      const opened = terminal;
      void session.exited.then((exit) => this.#ended(opened, exit));
      return terminal;
    } catch (error) {
      this.#release(userId);
      throw error;
    }
  }

  /** The caller's terminal in this project, or undefined (someone else's is undefined too). */
  find(id: string, userId: string, projectId: string): Terminal | undefined {
    const terminal = this.#terminals.get(id);
    if (!terminal || terminal.userId !== userId || terminal.projectId !== projectId.toLowerCase())
      return undefined;
    return terminal;
  }

  /** The caller's open terminals in this project, oldest first (the panel resumes the first). */
  ownedIn(userId: string, projectId: string): Terminal[] {
    const id = projectId.toLowerCase();
    return [...this.#terminals.values()].filter((t) => t.userId === userId && t.projectId === id);
  }

  /**
   * Memberships of the project changed: each terminal there whose owner `mayEdit` no longer
   * (removed, left, made a viewer, the project gone) ends, since its shell holds the project's
   * files. A failed check (the database down) leaves the terminal open.
   */
  async recheck(projectId: string, mayEdit: (userId: string, projectId: string) => Promise<boolean>) {
    const id = projectId.toLowerCase();
    for (const terminal of [...this.#terminals.values()]) {
      if (terminal.projectId !== id) continue;
      const allowed = await mayEdit(terminal.userId, id).catch((err: unknown) => {
        this.options.logger.warn({ err, terminal: terminal.id }, "terminal access could not be checked");
        return true;
      });
      if (!allowed) await this.close(terminal, { exitCode: null, error: "access" });
    }
  }

  /**
   * Drop the clients whose session ended (a logout, a password change elsewhere) since they
   * attached. The terminal goes on: its owner may attach again from a live session until it
   * idles out. A failed check (the database down) keeps the client.
   */
  async recheckSessions(): Promise<void> {
    const active = this.options.sessionActive;
    if (!active) return;
    for (const terminal of [...this.#terminals.values()])
      for (const client of [...terminal.clients]) {
        if (!client.session) continue;
        const live = await active(client.session.id, terminal.userId).catch(() => true);
        if (!live) {
          terminal.clients.delete(client);
          client.session.ended();
        }
      }
  }

  /** Send what is retained, then everything new: done in one tick, so no byte is lost or doubled. */
  attach(terminal: Terminal, client: TerminalClient): void {
    const retained = terminal.output.snapshot();
    if (retained.byteLength > 0) client.data(retained);
    terminal.clients.add(client);
  }

  detach(terminal: Terminal, client: TerminalClient): void {
    terminal.clients.delete(client);
  }

  input(terminal: Terminal, data: string | Uint8Array): void {
    terminal.lastActive = Date.now();
    terminal.session.write(data);
  }

  /** End a terminal: its sockets are told why, and its shell, processes and files go. */
  async close(terminal: Terminal, why: TerminalEnd = { exitCode: null, error: "closed" }): Promise<void> {
    if (this.#terminals.get(terminal.id) !== terminal) return;
    this.#terminals.delete(terminal.id);
    this.#release(terminal.userId);
    for (const client of terminal.clients) client.ended(why);
    terminal.clients.clear();
    await terminal.session.close();
  }

  stats(): { terminals: number; clients: number } {
    let clients = 0;
    for (const t of this.#terminals.values()) clients += t.clients.size;
    return { terminals: this.#terminals.size, clients };
  }

  async closeAll(): Promise<void> {
    clearInterval(this.#sweeper);
    clearInterval(this.#sessionCheck);
    await Promise.all([...this.#terminals.values()].map((t) => this.close(t)));
  }

  #print(terminal: Terminal, data: Uint8Array): void {
    terminal.lastActive = Date.now();
    terminal.output.push(data);
    for (const client of terminal.clients) client.data(data);
  }

  async #ended(terminal: Terminal, exit: PtyExit): Promise<void> {
    const log = this.options.logger;
    if (exit.error) log.info({ terminal: terminal.id, error: exit.error }, "terminal ended at its limit");
    await this.close(terminal, exit).catch((err: unknown) => log.warn({ err }, "terminal not cleaned up"));
  }

  #release(userId: string): void {
    const left = (this.#perUser.get(userId) ?? 1) - 1;
    if (left > 0) this.#perUser.set(userId, left);
    else this.#perUser.delete(userId);
  }

  #sweepIdle(): void {
    const now = Date.now();
    for (const terminal of this.#terminals.values())
      if (now - terminal.lastActive > this.options.idleMs) {
        this.options.logger.info({ terminal: terminal.id }, "terminal closed after being idle");
        void this.close(terminal, { exitCode: null, error: "idle" });
      }
  }
}
