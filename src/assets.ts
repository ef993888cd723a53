import { assetFiles } from "./generated/assets.ts";

export type AssetName = keyof typeof assetFiles;

/** The public URL of a built asset (content-hashed for the immutable ones). */
export function assetUrl(name: AssetName): string {
  return assetFiles[name].url;
}

export interface StaticAsset {
  url: string;
  /** Path readable by Bun.file: on disk in development, inside the binary when compiled. */
  file: string;
  immutable: boolean;
}

/** Every servable asset by URL path. */
export function staticAssets(): Map<string, StaticAsset> {
  return new Map(Object.values(assetFiles).map((a) => [a.url, a]));
}
