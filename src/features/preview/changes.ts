import type { Cache } from "../../adapters/cache/types.ts";
import type { Logger } from "../../logger.ts";

const channel = (projectId: string) => `preview:${projectId.toLowerCase()}`;

/**
 * Tell every instance's open previews of the project that a file changed (`path`), or that many
 * did (no path). Called after the change is stored, so a preview that reloads on it reads it.
 */
export function announceChange(
  deps: { cache: Pick<Cache, "publish">; logger: Logger },
  projectId: string,
  path?: string,
): void {
  deps.cache
    .publish(channel(projectId), JSON.stringify({ path: path ?? null }))
    .catch((err) => deps.logger.warn({ err }, "preview: announcing a change failed"));
}

/** Call `onChange` with the path of each change to the project's files, until unsubscribed. */
export function watchChanges(
  cache: Pick<Cache, "subscribe">,
  projectId: string,
  onChange: (path: string | null) => void,
) {
  return cache.subscribe(channel(projectId), (raw) => {
    const { path } = JSON.parse(raw) as { path: string | null };
    onChange(path);
  });
}
