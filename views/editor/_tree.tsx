import type { TreeNode } from "../../src/features/editor/tree.ts";
import type { Role } from "../../src/features/projects/access.ts";
import { projectPart, projectUrl } from "./urls.ts";

interface TreeProps {
  projectId: string;
  nodes: TreeNode[];
  /** The open file, selected in the tree. */
  current?: string | undefined;
  /** The viewer's role in the project: a viewer gets no rename or delete actions. */
  role: Role;
}

const ICON = "size-4 shrink-0 text-slate-400";
const ACTION =
  "rounded p-0.5 text-slate-400 opacity-60 hover:bg-slate-200 hover:text-slate-700 hover:opacity-100 group-hover/row:opacity-100 dark:hover:bg-ink-700 dark:hover:text-slate-100";

function Actions({ node }: { node: TreeNode }) {
  return (
    <span class="ml-auto flex shrink-0 items-center gap-0.5">
      <button
        type="button"
        class={ACTION}
        tabindex="-1"
        commandfor="rename-dialog"
        command="show-modal"
        data-path={node.path}
        aria-label={`Rename ${node.name}`}
        title="Rename (F2)"
      >
        <svg class="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path d="M13.6 3.4a2 2 0 0 1 2.8 2.8l-8.8 8.8-3.6.8.8-3.6z" />
        </svg>
      </button>
      <button
        type="button"
        class={ACTION}
        tabindex="-1"
        commandfor="delete-dialog"
        command="show-modal"
        data-path={node.path}
        aria-label={`Delete ${node.name}`}
        title="Delete (Del)"
      >
        <svg class="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path d="M7 3h6l1 2h3v2H3V5h3zm-2 5h10l-1 9H6z" />
        </svg>
      </button>
    </span>
  );
}

function Item({
  projectId,
  node,
  current,
  depth,
  readOnly,
}: {
  projectId: string;
  node: TreeNode;
  current?: string | undefined;
  depth: number;
  readOnly: boolean;
}) {
  const pad = `padding-left:${0.5 + depth * 0.9}rem`;
  const row =
    "group/row flex items-center gap-1.5 rounded-md py-1 pr-1.5 text-sm hover:bg-slate-100 dark:hover:bg-ink-700";
  if (node.kind === "folder") {
    return (
      // biome-ignore lint/a11y/useFocusableInteractive: roving tabindex (WAI-ARIA tree pattern), tabindex set below
      <li
        role="treeitem"
        aria-label={node.name}
        aria-expanded="true"
        aria-selected="false"
        tabindex="-1"
        data-path={node.path}
        data-kind="folder"
        class="outline-none [&[aria-expanded=false]>ul]:hidden [&[aria-expanded=false]>div_.chev]:-rotate-90 focus-visible:[&>div]:ring-2 focus-visible:[&>div]:ring-aura-500"
      >
        <div class={`${row} cursor-pointer`} style={pad} data-toggle>
          <svg
            class={`chev ${ICON} transition-transform`}
            viewBox="0 0 20 20"
            fill="currentColor"
            aria-hidden="true"
          >
            <path d="M5.5 7.5 10 12l4.5-4.5z" />
          </svg>
          <span class="truncate font-medium" safe>
            {node.name}
          </span>
          {readOnly ? null : <Actions node={node} />}
        </div>
        {/* biome-ignore lint/a11y/useSemanticElements: a WAI-ARIA tree's nested list is role=group */}
        <ul role="group">
          {node.children.map((child) => (
            <Item
              projectId={projectId}
              node={child}
              current={current}
              depth={depth + 1}
              readOnly={readOnly}
            />
          ))}
        </ul>
      </li>
    );
  }
  const selected = node.path === current;
  return (
    // biome-ignore lint/a11y/useFocusableInteractive: roving tabindex (WAI-ARIA tree pattern), tabindex set below
    <li
      role="treeitem"
      aria-label={node.name}
      aria-selected={selected ? "true" : "false"}
      tabindex={selected ? "0" : "-1"}
      data-path={node.path}
      data-kind="file"
      class="outline-none focus-visible:[&>div]:ring-2 focus-visible:[&>div]:ring-aura-500 aria-selected:[&>div]:bg-aura-50 aria-selected:[&>div]:text-aura-700 dark:aria-selected:[&>div]:bg-ink-700 dark:aria-selected:[&>div]:text-aura-400"
    >
      <div class={row} style={pad}>
        <svg class={ICON} viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path d="M5 2h6l4 4v12H5zm6 1v4h4" />
        </svg>
        <a
          href={projectUrl(projectId, node.path)}
          tabindex="-1"
          class="min-w-0 flex-1 truncate"
          hx-get={projectPart(projectId, "open", { file: node.path })}
          hx-target="#editor-area"
          hx-swap="outerHTML"
          hx-include="#tab-state"
          hx-push-url={projectUrl(projectId, node.path)}
          data-open
          safe
        >
          {node.name}
        </a>
        {readOnly ? null : <Actions node={node} />}
      </div>
    </li>
  );
}

/** The project's files as a WAI-ARIA tree; shell.js adds the keyboard model (roving tabindex). */
export function FileTree({ projectId, nodes, current, role }: TreeProps) {
  return (
    <div id="tree" class="min-h-0 flex-1 overflow-y-auto px-1.5 pb-4">
      {nodes.length === 0 ? (
        <p class="px-2 py-6 text-center text-sm text-slate-500">No files yet.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA tree pattern on a list
        <ul role="tree" aria-label="Files" data-tree data-project={projectId}>
          {nodes.map((node) => (
            <Item
              projectId={projectId}
              node={node}
              current={current}
              depth={0}
              readOnly={role === "viewer"}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
