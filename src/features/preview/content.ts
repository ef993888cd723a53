/** What a previewed file is served as: its content type by extension, and the console bridge in HTML. */

const TEXT: Record<string, string> = {
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  cjs: "text/javascript",
  json: "application/json",
  map: "application/json",
  webmanifest: "application/manifest+json",
  svg: "image/svg+xml",
  xml: "application/xml",
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  // Sources a browser cannot run are shown as text; with nosniff a <script> refuses them.
  ts: "text/plain",
  tsx: "text/plain",
  jsx: "text/plain",
  py: "text/plain",
};

const BINARY: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  bmp: "image/bmp",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  wasm: "application/wasm",
  pdf: "application/pdf",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
  mp4: "video/mp4",
  webm: "video/webm",
};

/** The Content-Type a file is served with: by extension, UTF-8 for text, octet-stream when unknown. */
export function contentTypeOf(path: string): string {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  const text = TEXT[extension];
  if (text) return `${text}; charset=utf-8`;
  return BINARY[extension] ?? "application/octet-stream";
}

export const isHtml = (path: string) => /\.html?$/i.test(path);

/**
 * The page's side of console forwarding: console calls, uncaught errors and unhandled rejections
 * are posted to the parent window (the editor's preview pane), which checks that the message
 * comes from its preview frame. Opened in a tab of its own the page has no parent and this does
 * nothing. Values are turned into text here: the page's objects never cross.
 */
const BRIDGE = `(()=>{if(window.parent===window)return;const M=8192;
const text=(v)=>{if(typeof v==="string")return v;if(v instanceof Error)return v.stack||String(v);
try{const s=JSON.stringify(v);return s===undefined?String(v):s}catch{return String(v)}};
const send=(level,args)=>{try{window.parent.postMessage({aura:"preview-console",level,
text:Array.from(args,text).join(" ").slice(0,M)},"*")}catch{}};
for(const level of ["log","info","warn","error","debug"]){const f=console[level];
console[level]=function(...a){send(level,a);return f.apply(this,a)}}
addEventListener("error",(e)=>send("error",[e.error instanceof Error?e.error:e.message]));
addEventListener("unhandledrejection",(e)=>send("error",["Unhandled rejection:",e.reason]));})();`;

const CONSOLE_BRIDGE = `<script>${BRIDGE}</script>`;

/**
 * The HTML with the console bridge as its first script: after `<head …>`, else after `<html …>`,
 * else after the doctype (never before it, which would put the page into quirks mode).
 */
export function withConsoleBridge(html: string): string {
  for (const tag of [/<head(?:\s[^>]*)?>/i, /<html(?:\s[^>]*)?>/i, /<!doctype[^>]*>/i]) {
    const match = tag.exec(html);
    if (match) {
      const at = match.index + match[0].length;
      return html.slice(0, at) + CONSOLE_BRIDGE + html.slice(at);
    }
  }
  return CONSOLE_BRIDGE + html;
}
