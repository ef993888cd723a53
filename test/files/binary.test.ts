import { describe, expect, test } from "bun:test";
import { Zip, ZipDeflate } from "fflate";
import { indexPlan } from "../../src/features/context/indexer.ts";
import { fileBytes, measureBytes } from "../../src/features/files/content.ts";
import { readZip } from "../../src/features/files/zip.ts";

const LIMITS = { maxEntries: 10, maxFileBytes: 5 * 1024 * 1024, maxTotalBytes: 50 * 1024 * 1024 };

/** A .zip written as a stream, so each entry's sizes come after its data (a data descriptor). */
function streamedZip(files: Record<string, Uint8Array>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const [name, bytes] of Object.entries(files)) {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(bytes, true);
  }
  zip.end();
  return Buffer.concat(chunks);
}

describe("binary content", () => {
  test("UTF-8 text without NUL is stored as text; anything else as base64 bytes", () => {
    expect(measureBytes("a.txt", new TextEncoder().encode("héllo")).encoding).toBe("utf8");
    const png = measureBytes("a.png", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    expect(png).toMatchObject({ encoding: "base64", sizeBytes: 7 });
    expect(fileBytes(png)).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    // Latin-1 text is no UTF-8: kept byte for byte rather than mangled.
    expect(measureBytes("old.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9])).encoding).toBe("base64");
    // Text over the 1 MiB editor limit is kept as bytes (up to 5 MiB).
    expect(measureBytes("big.csv", new Uint8Array(1024 * 1024 + 1).fill(65)).encoding).toBe("base64");
  });

  test("binary files are left out of the code index", () => {
    const plan = indexPlan([
      { path: "a.js", sizeBytes: 10, encoding: "utf8" },
      { path: "logo.png", sizeBytes: 10, encoding: "base64" },
    ]);
    expect(plan.paths).toEqual(["a.js"]);
    expect(plan.skipped).toEqual([{ path: "logo.png", reason: "binary" }]);
  });

  test("an archive written as a stream (sizes after the data) reads whole", () => {
    const files = readZip(
      streamedZip({
        "src/a.js": new TextEncoder().encode("console.log(1)\n"),
        "b.bin": new Uint8Array(70_000).fill(7),
      }),
      LIMITS,
    );
    expect(files.map((f) => [f.path, f.bytes.byteLength])).toEqual([
      ["src/a.js", 15],
      ["b.bin", 70_000],
    ]);
  });

  test("a streamed bomb is stopped at the limit however its sizes are written", () => {
    const bomb = streamedZip({ "zeros.bin": new Uint8Array(8 * 1024 * 1024) });
    expect(() => readZip(bomb, LIMITS)).toThrow(/over the 5 MiB file limit|zip bomb/);
  });
});
