import { assetUrl } from "../../src/assets.ts";

/** The Aura mark and word, linking home. */
export function Logo() {
  return (
    <a href="/" class="flex shrink-0 items-center gap-2 font-semibold tracking-tight">
      <img src={assetUrl("favicon.svg")} alt="" width="24" height="24" />
      <span>Aura</span>
    </a>
  );
}
