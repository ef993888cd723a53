// The bundler's `with { type: "text" }` gives a stylesheet's text; TypeScript needs to be told.
declare module "*.css" {
  const text: string;
  export default text;
}
