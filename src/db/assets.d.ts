// Bun's `with { type: "text" }` gives a string and `with { type: "file" }` a path
// (inside a compiled binary, a /$bunfs path); TypeScript needs to be told.
declare module "*.sql" {
  const text: string;
  export default text;
}

declare module "*.wasm" {
  const path: string;
  export default path;
}

declare module "*.data" {
  const path: string;
  export default path;
}

declare module "*.tar.gz" {
  const path: string;
  export default path;
}
