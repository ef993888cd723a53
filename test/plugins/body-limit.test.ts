import { describe, expect, test } from "bun:test";
import { Elysia, t } from "elysia";
import { bodyLimit } from "../../src/plugins/body-limit.ts";
import { errorPlugin } from "../../src/plugins/errors.tsx";
import { bodyLimitFor, DEFAULT_BODY_LIMIT } from "../../src/plugins/limits.ts";
import { captureLogger } from "../helpers/logs.ts";

const app = new Elysia()
  .use(errorPlugin({ logger: captureLogger().logger, debug: false }))
  .use(bodyLimit())
  .post("/api/v1/echo", ({ body }) => ({ size: JSON.stringify(body).length }), {
    body: t.Object({ text: t.String() }),
  })
  .post("/api/v1/form", ({ body }) => body, { body: t.Object({ name: t.String() }) })
  .post("/api/v1/text", ({ body }) => ({ text: body }), { body: t.String() })
  .post("/api/v1/fields", ({ body }) => ({ fields: body }), { body: t.Record(t.String(), t.String()) })
  .post("/api/v1/upload", ({ body }) => ({
    kind: body instanceof ArrayBuffer ? "bytes" : typeof body,
    size: body instanceof ArrayBuffer ? body.byteLength : undefined,
    // A multipart form arrives as Elysia's own parser gives it: fields by name, repeated ones as arrays.
    fields: body instanceof ArrayBuffer ? undefined : body,
  }))
  .put("/api/v1/projects/p1/files/a.txt", ({ body }) => ({
    size: (body as { content: string }).content.length,
  }));

const json = (path: string, body: string, init: RequestInit = {}) =>
  app.handle(
    new Request(`http://localhost${path}`, {
      method: "POST",
      ...init,
      headers: { "content-type": "application/json", ...init.headers },
      body,
    }),
  );

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
      controller.close();
    },
  });
}

describe("request body limits", () => {
  test("a body within the default limit is parsed and validated", async () => {
    const res = await json("/api/v1/echo", JSON.stringify({ text: "hello" }));
    expect(res.status).toBe(200);
  });

  test("a declared Content-Length over the limit is refused with 413 before reading", async () => {
    const body = JSON.stringify({ text: "x".repeat(DEFAULT_BODY_LIMIT) });
    const res = await json("/api/v1/echo", body, { headers: { "content-length": String(body.length) } });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("payload_too_large");
  });

  test("a chunked body without Content-Length is cut off at the limit with 413", async () => {
    const res = await app.handle(
      new Request("http://localhost/api/v1/echo", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: chunked(JSON.stringify({ text: "x".repeat(DEFAULT_BODY_LIMIT + 10) })),
      }),
    );
    expect(res.status).toBe(413);
  });

  test("file saves accept up to 8 MiB of JSON", async () => {
    expect(bodyLimitFor("PUT", "/api/v1/projects/p1/files/a.txt")).toBe(8 * 1024 * 1024);
    const body = JSON.stringify({ content: "y".repeat(2 * 1024 * 1024) });
    const res = await app.handle(
      new Request("http://localhost/api/v1/projects/p1/files/a.txt", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body,
      }),
    );
    expect(res.status).toBe(200);
  });

  test("malformed JSON is a 400 that says the body is not valid JSON", async () => {
    const res = await json("/api/v1/echo", "{not json");
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain("body");
  });

  test("a JSON body that is not UTF-8 is a 400 naming the body, never stored with U+FFFD", async () => {
    const bytes = Buffer.concat([Buffer.from('{"text":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const res = await json("/api/v1/echo", bytes as unknown as string);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toBe("body: is not valid UTF-8");
  });

  test("text and form bodies are held to UTF-8 too, percent-encoded bytes included", async () => {
    const post = (type: string, body: BodyInit) =>
      app.handle(
        new Request(`http://localhost/api/v1/${type === "text/plain" ? "text" : "form"}`, {
          method: "POST",
          headers: { "content-type": type },
          body,
        }),
      );
    expect((await post("text/plain", Buffer.from([0x61, 0xff, 0x62]))).status).toBe(400);
    expect((await post("application/x-www-form-urlencoded", "name=caf%E9")).status).toBe(400);
    expect((await post("application/x-www-form-urlencoded", Buffer.from([0x6e, 0x3d, 0xff]))).status).toBe(
      400,
    );
    const good = await post("application/x-www-form-urlencoded", "name=caf%C3%A9+au+lait+100%");
    expect(await good.json()).toEqual({ name: "café au lait 100%" });
  });

  test("bodies of any other type are read within the limit too: bytes, or a multipart form", async () => {
    const upload = (type: string, body: BodyInit) =>
      app.handle(
        new Request("http://localhost/api/v1/upload", {
          method: "POST",
          headers: { "content-type": type },
          body,
        }),
      );
    const bytes = await upload("application/octet-stream", new Uint8Array(10));
    expect(await bytes.json()).toEqual({ kind: "bytes", size: 10 });
    const big = await upload("application/octet-stream", chunked("z".repeat(DEFAULT_BODY_LIMIT + 1)));
    expect(big.status).toBe(413);
    const form = new FormData();
    form.set("note", "hello");
    form.append("tag", "a");
    form.append("tag", "b");
    const multipart = new Request("http://localhost/api/v1/upload", { method: "POST", body: form });
    expect(await (await app.handle(multipart)).json()).toEqual({
      kind: "object",
      fields: { note: "hello", tag: ["a", "b"] },
    });
  });

  test("urlencoded forms are parsed", async () => {
    const res = await app.handle(
      new Request("http://localhost/api/v1/form", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "name=Ada+Lovelace",
      }),
    );
    expect(await res.json()).toEqual({ name: "Ada Lovelace" });
  });

  test("an empty form is a form without fields and an empty text body is empty text, not a parse failure", async () => {
    // An htmx button's form often has no fields: the CSRF token travels in a header.
    const post = (path: string, type: string, body?: BodyInit) =>
      app.handle(
        new Request(`http://localhost${path}`, { method: "POST", headers: { "content-type": type }, body }),
      );
    for (const body of ["", undefined]) {
      const form = await post("/api/v1/fields", "application/x-www-form-urlencoded", body);
      expect(form.status).toBe(200);
      expect(await form.json()).toEqual({ fields: {} });
    }
    const text = await post("/api/v1/text", "text/plain", "");
    expect(text.status).toBe(200);
    expect(await text.json()).toEqual({ text: "" });
    const bytes = await post("/api/v1/upload", "application/octet-stream", "");
    expect(await bytes.json()).toEqual({ kind: "bytes", size: 0 });
  });
});

test("a URL over 8 KiB is a 431 in the error shape, before anything else happens", async () => {
  const at = (length: number) =>
    app.handle(new Request(`http://localhost/api/v1/echo?q=${"a".repeat(length)}`));
  expect((await at(8 * 1024 - "/api/v1/echo?q=".length)).status).toBe(404);
  const over = await at(8 * 1024);
  expect(over.status).toBe(431);
  expect((await over.json()).error).toEqual({
    code: "url_too_long",
    message: "The URL is 8207 bytes, over its limit of 8192",
  });
});

test("the editor's own save route gets the file-save limit too", () => {
  expect(bodyLimitFor("PUT", "/projects/p1/files/src/a.ts")).toBe(8 * 1024 * 1024);
  expect(bodyLimitFor("POST", "/projects/p1/files/src/a.ts")).toBe(DEFAULT_BODY_LIMIT);
});
