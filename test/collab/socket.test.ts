import { afterAll, describe, expect, test } from "bun:test";
import { createTestApp } from "../helpers/app.ts";
import { connect, eventually, liveProject } from "./helpers.ts";

const t = await createTestApp();
const live = await liveProject(t);
afterAll(async () => {
  await live.server.stop();
  await t.close();
});

describe("live documents over the y-websocket protocol", () => {
  test("two stock clients converge, and the stored file follows the document", async () => {
    const a = connect(live.server.url, live.room, live.owner.token);
    const b = connect(live.server.url, live.room, live.owner.token);
    try {
      await Promise.all([a.synced, b.synced]);
      expect(a.text.toString()).toBe("hello\n");
      a.text.insert(0, "A says hi\n");
      await eventually(() => b.text.toString() === "A says hi\nhello\n", 5_000, "b to see a's edit");
      b.text.insert(b.text.length, "B was here\n");
      await eventually(
        () => a.text.toString() === "A says hi\nhello\nB was here\n",
        5_000,
        "a to see b's edit",
      );
      await eventually(async () => (await live.stored())?.content === a.text.toString(), 3_000, "the file");
    } finally {
      a.destroy();
      b.destroy();
    }
  });
});
