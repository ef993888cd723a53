import { describe, expect, test } from "bun:test";
import { lexicalTokens } from "../../src/search/lexical.ts";
import { codeTokens, normalizeWord, segmentWord, splitIdentifier, stem } from "../../src/search/tokens.ts";

describe("tokenizer", () => {
  test("splits identifiers", () => {
    expect(splitIdentifier("getHTTPResponse_2xx")).toEqual(["get", "http", "response", "2", "xx"]);
  });

  test("Porter stems", () => {
    const cases: Record<string, string> = {
      caresses: "caress",
      ponies: "poni",
      motoring: "motor",
      hopping: "hop",
      relational: "relat",
      conditional: "condit",
      generalizations: "gener",
      equality: "equal",
      assertion: "assert",
      adjustable: "adjust",
      controll: "control",
      sky: "sky",
    };
    for (const [word, expected] of Object.entries(cases)) expect(stem(word)).toBe(expected);
  });

  test("folds abbreviations and their full words into one form, both ways", () => {
    for (const [short, long] of [
      ["dir", "directories"],
      ["cfg", "configuration"],
      ["init", "initializes"],
      ["args", "argument"],
      ["str", "strings"],
      ["fn", "function"],
      ["pos", "position"],
      ["msg", "messages"],
    ])
      expect(normalizeWord(short!)).toBe(normalizeWord(long!));
    expect(normalizeWord("directory")).not.toBe(normalizeWord("document"));
    const code = new Set(codeTokens("function getCfgDir(envArgs) {}").parts);
    for (const word of codeTokens("the configuration directory from environment arguments").parts)
      expect(code.has(word)).toBe(true);
  });

  test("splits run-together lower-case names into known words", () => {
    expect(segmentWord("fromordinal")).toEqual(["from", "ordinal"]);
    expect(segmentWord("isdir")).toEqual(["is", "dir"]);
    expect(segmentWord("readmailcapfile")).toEqual(["read", "mail", "cap", "file"]);
    expect(segmentWord("parse")).toBeNull(); // a word itself
    expect(segmentWord("kappa")).toBeNull(); // no split into known words
    expect(segmentWord("getWelcome")).toBeNull(); // only lower-case runs
    // The pieces are indexed like camelCase parts, and the whole name too.
    expect(lexicalTokens("normcase")).toEqual(lexicalTokens("normCase"));
    expect(lexicalTokens("normcase")).toContain(normalizeWord("normalize"));
  });
});
