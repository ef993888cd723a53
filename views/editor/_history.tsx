import type { DiffLine } from "../../src/features/editor/history.ts";
import { Badge } from "../components/_badge.tsx";
import { Button, CloseButton } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { When } from "../components/_dates.tsx";
import { projectPart } from "./urls.ts";

interface HistoryEntry {
  version: number;
  sizeBytes: number;
  createdAt: Date;
  /** Everyone whose edits the version holds since the one before (names; deleted accounts drop out). */
  editedBy: string[];
  diff: { lines: DiffLine[]; truncated: number; added: number; removed: number };
}

export interface HistoryProps {
  projectId: string;
  path: string;
  currentVersion: number;
  versions: HistoryEntry[];
  csrfToken: string;
}

const LINE: Record<DiffLine["kind"], string> = {
  add: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200",
  del: "bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-200",
  ctx: "text-slate-500",
  hunk: "text-aura-600 dark:text-aura-400",
};
const MARK: Record<DiffLine["kind"], string> = { add: "+", del: "-", ctx: " ", hunk: "" };

/** A file's saved versions, newest first, each with its diff against the current text and a restore action. */
export function HistoryPanel({ projectId, path, currentVersion, versions, csrfToken }: HistoryProps) {
  return (
    <div class="flex h-full flex-col" data-history>
      <div class="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-ink-700">
        <h2 class="min-w-0 flex-1 truncate text-sm font-semibold">
          History · <span safe>{path}</span>
        </h2>
        <CloseButton label="Close history" data-panel-close />
      </div>
      <p class="px-3 pt-2 text-xs text-slate-500">
        Diffs show what restoring would change: − current text, + that version.
      </p>
      <ol class="min-h-0 flex-1 space-y-2 overflow-y-auto p-3">
        {versions.map((v) => (
          <li class="rounded-lg border border-slate-200 dark:border-ink-700" data-version={String(v.version)}>
            <details open={v.version === currentVersion ? undefined : true}>
              <summary class="flex cursor-pointer items-center gap-2 px-3 py-2 text-sm">
                <span class="font-medium">Version {v.version}</span>
                {v.version === currentVersion ? <Badge tone="aura">current</Badge> : null}
                <span class="ml-auto text-xs text-slate-500">
                  {v.editedBy.length > 0 ? (
                    <span data-edited-by safe>
                      {v.editedBy.join(", ")}
                    </span>
                  ) : null}
                  {v.editedBy.length > 0 ? " · " : ""}
                  <When at={v.createdAt} /> · <span class="text-emerald-600">+{v.diff.added}</span>{" "}
                  <span class="text-red-600">−{v.diff.removed}</span>
                </span>
              </summary>
              {v.diff.lines.length === 0 ? (
                <p class="px-3 pb-2 text-xs text-slate-500">Same as the current text.</p>
              ) : (
                <pre class="max-h-64 overflow-auto border-t border-slate-200 font-mono text-xs leading-5 dark:border-ink-700">
                  <code>
                    {v.diff.lines.map((l) => (
                      <div class={`px-2 ${LINE[l.kind]}`} data-diff={l.kind}>
                        <span safe>{MARK[l.kind] + l.text}</span>
                      </div>
                    ))}
                  </code>
                </pre>
              )}
              {v.diff.truncated > 0 ? (
                <p class="px-3 py-1 text-xs text-slate-500">… {v.diff.truncated} more lines</p>
              ) : null}
              {v.version !== currentVersion ? (
                <form
                  class="px-3 py-2"
                  hx-post={projectPart(projectId, "history/restore")}
                  hx-target="#panel"
                  hx-swap="innerHTML"
                  hx-include="#tab-state"
                >
                  <CsrfField token={csrfToken} />
                  <input type="hidden" name="path" value={path} />
                  <input type="hidden" name="version" value={String(v.version)} />
                  <Button type="submit" size="xs">
                    Restore version {v.version}
                  </Button>
                </form>
              ) : null}
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}
