import type { ProjectListItem } from "../../src/db/queries/projects.ts";
import { Badge } from "../components/_badge.tsx";
import { Button, buttonClass, LINK } from "../components/_button.tsx";
import { Ago } from "../components/_dates.tsx";
import { LanguageBadge } from "./_format.tsx";
import { defaultOrder, type ListState, listUrl } from "./_list-state.tsx";
import { ProjectActions } from "./_project-actions.tsx";

export interface ProjectsTableProps {
  projects: ProjectListItem[];
  total: number;
  state: ListState;
  csrfToken: string;
  /** Sent out of band after a rename or delete, replacing the table wherever the form was. */
  oob?: boolean;
}

const COLUMNS = [
  { sort: "name", label: "Name", class: "sm:w-full" },
  { sort: "language", label: "Language", class: "" },
  { sort: "files", label: "Files", class: "sm:text-right" },
  { sort: "updated", label: "Last modified", class: "" },
] as const;

/** A link that swaps only the table and records the new list in the address bar. */
function ListLink({ href, children, ...rest }: JSX.HtmlAnchorTag) {
  return (
    <a href={href} hx-get={href} hx-target="#projects-table" hx-swap="outerHTML" hx-push-url="true" {...rest}>
      {children}
    </a>
  );
}

function SortHeader({ column, state }: { column: (typeof COLUMNS)[number]; state: ListState }) {
  const active = state.sort === column.sort;
  const order = active ? (state.order === "asc" ? "desc" : "asc") : defaultOrder(column.sort);
  const arrow = active ? (state.order === "asc" ? "↑" : "↓") : "";
  return (
    <th
      scope="col"
      aria-sort={active ? (state.order === "asc" ? "ascending" : "descending") : undefined}
      class={`whitespace-nowrap font-medium sm:px-4 sm:py-2.5 ${column.class}`}
    >
      <ListLink
        href={listUrl(state, { sort: column.sort, order, page: 1 })}
        class="inline-flex items-center gap-1 rounded-full border border-slate-200 px-2.5 py-1 hover:text-slate-900 aria-[current=true]:border-aura-500 aria-[current=true]:text-aura-700 sm:rounded-none sm:border-0 sm:p-0 dark:border-ink-700 dark:hover:text-white dark:aria-[current=true]:text-aura-400"
        aria-current={active ? "true" : undefined}
      >
        {column.label}
        {arrow ? <span aria-hidden="true">{arrow}</span> : ""}
      </ListLink>
    </th>
  );
}

function Empty({ q }: { q: string }) {
  return q ? (
    <div class="rounded-2xl border border-dashed border-slate-300 px-6 py-12 text-center dark:border-ink-700">
      <p class="font-medium">
        No projects match <span class="break-all" safe>{`“${q}”`}</span>.
      </p>
      <ListLink href="/projects" class={`${LINK} mt-3 inline-block text-sm`}>
        Clear the search
      </ListLink>
    </div>
  ) : (
    <div class="rounded-2xl border border-dashed border-slate-300 px-6 py-16 text-center dark:border-ink-700">
      <svg
        class="mx-auto size-10 text-aura-500"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
        aria-hidden="true"
      >
        <path d="M3 7.5A1.5 1.5 0 0 1 4.5 6h4l2 2h9A1.5 1.5 0 0 1 21 9.5v8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" />
      </svg>
      <h2 class="mt-4 text-lg font-semibold">No projects yet</h2>
      <p class="mx-auto mt-2 max-w-sm text-slate-600 dark:text-slate-300">
        Start from a template in JavaScript, TypeScript, Python, HTML or CSS and write code right in the
        browser.
      </p>
      <Button commandfor="new-project" command="show-modal" variant="primary" size="lg" class="mt-6">
        Create your first project
      </Button>
    </div>
  );
}

/** Who shared a project with the viewer, and what they may do in it. */
function SharedBy({
  role,
  owner,
}: Pick<ProjectListItem, "role"> & { owner: NonNullable<ProjectListItem["owner"]> }) {
  return (
    <p
      class="mt-0.5 flex min-w-0 items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400"
      data-shared
    >
      <Badge tone="aura" class="shrink-0">
        {role === "editor" ? "Shared · can edit" : "Shared · can view"}
      </Badge>
      <span class="truncate" title={owner.email} safe>{`by ${owner.name ?? owner.email}`}</span>
    </p>
  );
}

/** The projects list with its sorting, paging and row actions; the page's table and the htmx fragment. */
export function ProjectsTable({ projects, total, state, csrfToken, oob = false }: ProjectsTableProps) {
  const first = total === 0 ? 0 : (state.page - 1) * state.limit + 1;
  const last = Math.min(total, first + projects.length - 1);
  return (
    <div id="projects-table" class="mt-6" hx-swap-oob={oob ? "true" : undefined}>
      {/* Belong to the search form (outside this partial), so a new search keeps the current order. */}
      {state.sort !== "updated" || state.order !== "desc" ? (
        <>
          <input type="hidden" name="sort" value={state.sort} form="projects-search" />
          <input type="hidden" name="order" value={state.order} form="projects-search" />
        </>
      ) : null}
      {total === 0 ? (
        <Empty q={state.q} />
      ) : (
        <>
          <table class="block w-full text-sm sm:table">
            <caption class="sr-only">Your projects and projects shared with you</caption>
            <thead class="block text-left text-slate-600 sm:table-header-group sm:border-b sm:border-slate-200 dark:text-slate-300 sm:dark:border-ink-700">
              <tr class="flex flex-wrap gap-2 pb-3 sm:table-row sm:pb-0">
                {COLUMNS.map((column) => (
                  <SortHeader column={column} state={state} />
                ))}
                <th scope="col" class="sr-only sm:not-sr-only sm:px-4 sm:py-2.5">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody class="block divide-y divide-slate-200 rounded-2xl border border-slate-200 sm:table-row-group sm:rounded-none sm:border-0 dark:divide-ink-700 dark:border-ink-700">
              {projects.map((p) => (
                <tr class="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:table-row sm:p-0">
                  <td class="block w-full min-w-0 sm:table-cell sm:max-w-0 sm:px-4 sm:py-3">
                    <a
                      href={`/projects/${p.id}`}
                      class="block truncate font-medium text-aura-700 hover:underline dark:text-aura-400"
                      safe
                    >
                      {p.name}
                    </a>
                    {p.owner ? <SharedBy role={p.role} owner={p.owner} /> : null}
                    {p.description ? (
                      <p class="truncate text-xs text-slate-500 dark:text-slate-400" safe>
                        {p.description}
                      </p>
                    ) : null}
                  </td>
                  <td class="block sm:table-cell sm:px-4 sm:py-3">
                    <LanguageBadge language={p.language} />
                  </td>
                  <td class="block text-slate-600 tabular-nums sm:table-cell sm:px-4 sm:py-3 sm:text-right dark:text-slate-300">
                    {p.fileCount}
                    <span class="sm:hidden">{p.fileCount === 1 ? " file" : " files"}</span>
                  </td>
                  <td class="block whitespace-nowrap text-slate-600 sm:table-cell sm:px-4 sm:py-3 dark:text-slate-300">
                    <Ago at={p.lastModified} />
                  </td>
                  <td class="ml-auto block sm:table-cell sm:px-4 sm:py-2">
                    {p.role === "owner" ? (
                      <ProjectActions project={p} state={state} csrfToken={csrfToken} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav
            aria-label="Pages"
            class="mt-4 flex items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-300"
          >
            <p safe>{`${first}–${last} of ${total}`}</p>
            <div class="flex gap-2">
              <PageLink state={state} page={state.page - 1} enabled={first > 1} label="Previous" />
              <PageLink state={state} page={state.page + 1} enabled={last < total} label="Next" />
            </div>
          </nav>
        </>
      )}
    </div>
  );
}

function PageLink({
  state,
  page,
  enabled,
  label,
}: {
  state: ListState;
  page: number;
  enabled: boolean;
  label: "Previous" | "Next";
}) {
  return enabled ? (
    <ListLink href={listUrl(state, { page })} rel={label === "Next" ? "next" : "prev"} class={buttonClass()}>
      {label}
    </ListLink>
  ) : (
    <span aria-disabled="true" class={buttonClass()}>
      {label}
    </span>
  );
}
