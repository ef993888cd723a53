/**
 * gpt-tokenizer's o200k encoding on its own: its tables are 45% of the server bundle. The
 * binary embeds this file as a separate entrypoint (scripts/build.ts), loaded only when a call
 * must be counted locally, so the tables are neither parsed nor evaluated at start.
 */
export { countTokens } from "gpt-tokenizer";
