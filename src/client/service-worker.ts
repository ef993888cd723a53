/**
 * The service worker (served as `/sw.js`, scope `/`): the editor page opens without a network.
 *
 * - The hashed static assets (scripts, styles, icons) are cached on install, all of them, so the
 *   editor and every lazily loaded language work offline; a new deploy has new hashes, hence a
 *   new script version, and the old cache is deleted on activation.
 * - Project pages (`/projects/:id`, any query) are fetched from the network first; each good
 *   answer is kept, and when the network fails the kept copy is served (the same URL, else the
 *   project page without its query). The editor then restores unsaved edits from IndexedDB, as
 *   on any load. Signing out (or a page answering with a redirect to sign in) drops every kept page.
 * - Nothing else is touched: API calls, fragments and form posts go to the network as usual.
 *
 * Built by scripts/build-assets.ts; the server serves it inside a function whose parameter
 * `AURA_OFFLINE` holds this build's version and asset URLs (src/features/offline).
 */

declare const AURA_OFFLINE: { version: string; assets: string[] };

interface FetchEventLike extends Event {
  request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface WorkerScope {
  location: Location;
  addEventListener(type: "install" | "activate", listener: (e: ExtendableEventLike) => void): void;
  addEventListener(type: "fetch", listener: (e: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
}

const scope = self as unknown as WorkerScope;
const { version, assets } = AURA_OFFLINE;
const STATIC = `aura-static-${version}`;
const PAGES = "aura-pages";
const PROJECT_PAGE = /^\/projects\/[^/]+$/;

scope.addEventListener("install", (e) => {
  e.waitUntil(
    caches
      .open(STATIC)
      .then((cache) => cache.addAll(assets))
      .then(() => scope.skipWaiting()),
  );
});
scope.addEventListener("activate", (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith("aura-static-") && k !== STATIC).map((k) => caches.delete(k)),
        ),
      )
      .then(() => scope.clients.claim()),
  );
});

async function page(request: Request, url: URL): Promise<Response> {
  try {
    const response = await fetch(request);
    const html = response.headers.get("content-type")?.startsWith("text/html");
    if (response.ok && html && !response.redirected) {
      const cache = await caches.open(PAGES);
      await cache.put(url.href, response.clone());
      await cache.put(url.origin + url.pathname, response.clone());
    } else if (response.redirected) await caches.delete(PAGES); // signed out: forget the pages
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES);
    const kept = (await cache.match(url.href)) ?? (await cache.match(url.origin + url.pathname));
    if (kept) return kept;
    throw error;
  }
}

scope.addEventListener("fetch", (e) => {
  const request = e.request;
  const url = new URL(request.url);
  if (url.origin !== scope.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout") {
    e.respondWith(caches.delete(PAGES).then(() => fetch(request)));
    return;
  }
  if (request.method !== "GET") return;
  if (assets.includes(url.pathname)) {
    e.respondWith(caches.match(request, { cacheName: STATIC }).then((hit) => hit ?? fetch(request)));
  } else if (request.mode === "navigate" && PROJECT_PAGE.test(url.pathname)) {
    e.respondWith(page(request, url));
  }
});

export {};
