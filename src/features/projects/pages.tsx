import { Elysia, t } from "elysia";
import { listUrl } from "../../../views/projects/_list-state.tsx";
import { NewProjectForm, TemplateField } from "../../../views/projects/_new-project-form.tsx";
import { RenameForm } from "../../../views/projects/_project-actions.tsx";
import { ProjectsTable } from "../../../views/projects/_table.tsx";
import { Toasts } from "../../../views/projects/_toast.tsx";
import { DashboardPage } from "../../../views/projects/dashboard.tsx";
import type { Deps } from "../../deps.ts";
import { ForbiddenError, ValidationError } from "../../errors.ts";
import { html, redirectAfterPost, wantsFragment } from "../../plugins/htmx.ts";
import { type FieldErrors, formErrors } from "../auth/form-errors.ts";
import { sessionPlugin, type Viewer } from "../auth/session-guard.ts";
import {
  CreateProjectBody,
  LANGUAGES,
  ListQuery,
  type ListState,
  listState,
  ProjectParams,
} from "./model.ts";
import * as service from "./service.ts";

// Forms are checked against the JSON face's models by hand so errors render inline (422), not as a 400.
const FormBody = t.Record(t.String(), t.String({ maxLength: 4096 }));
const RenameBody = t.Object({ name: CreateProjectBody.properties.name });
const TemplatesQuery = t.Object({ language: t.Optional(t.String({ maxLength: 32 })) });
const LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  language: "Language",
  template: "Template",
};

/** The model's messages name fields by key; say them the way the form labels them. */
function labelled(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors))
    out[field] = message?.replace(new RegExp(`^${field}\\b`), LABELS[field] ?? field);
  return out;
}

const hasErrors = (errors: FieldErrors) => Object.keys(errors).length > 0;

/** The HTML face of projects: the dashboard, its fragments and its forms, over the projects service. */
export function projectPages(deps: Deps) {
  // One page of the list; a page past the end (after a delete, or an old link) shows the last one.
  const loadTable = async (viewer: Viewer, wanted: ListState) => {
    const list = (state: ListState) =>
      service.listProjects(deps, viewer.user.id, {
        page: state.page,
        limit: state.limit,
        sort: state.sort,
        order: state.order,
        ...(state.q ? { search: state.q } : {}),
      });
    let state = wanted;
    let result = await list(state);
    const lastPage = Math.max(1, Math.ceil(result.pagination.total / state.limit));
    if (state.page > lastPage) {
      state = { ...state, page: lastPage };
      result = await list(state);
    }
    return { projects: result.projects, total: result.pagination.total, state, csrfToken: viewer.csrfToken };
  };

  // After a rename or delete: the refreshed table and a toast, out of band, for htmx; the list again otherwise.
  const afterChange = async (
    request: Request,
    viewer: Viewer,
    body: Record<string, string>,
    notice: string,
  ) => {
    const state = listState(body);
    if (!wantsFragment(request)) return redirectAfterPost(request, listUrl(state));
    const table = await loadTable(viewer, state);
    return html(
      <>
        <ProjectsTable {...table} oob />
        <Toasts message={notice} oob />
      </>,
    );
  };

  return new Elysia({ name: "project-pages" })
    .use(sessionPlugin(deps))
    .get(
      "/projects",
      async ({ viewer, request, query }) => {
        const table = await loadTable(viewer, listState(query));
        return html(
          wantsFragment(request) ? (
            <ProjectsTable {...table} />
          ) : (
            <DashboardPage user={viewer.user} table={table} />
          ),
        );
      },
      { session: true, query: ListQuery },
    )
    .get(
      "/projects/templates",
      ({ query }) => html(<TemplateField language={query.language ?? "javascript"} />),
      { session: true, query: TemplatesQuery },
    )
    .post(
      "/projects",
      async ({ viewer, request, body }) => {
        const values = {
          name: body.name ?? "",
          description: body.description ?? "",
          language: body.language ?? "",
          template: body.template ?? "",
        };
        const render = async (errors: FieldErrors) => {
          if (wantsFragment(request))
            return html(<NewProjectForm csrfToken={viewer.csrfToken} values={values} errors={errors} />, 422);
          const table = await loadTable(viewer, listState({}));
          return html(<DashboardPage user={viewer.user} table={table} create={{ values, errors }} />, 422);
        };
        const input = {
          name: values.name.trim(),
          language: values.language,
          ...(values.description.trim() ? { description: values.description } : {}),
          ...(values.template ? { template: values.template } : {}),
        };
        const errors = labelled(formErrors(CreateProjectBody, input));
        if (errors.language) errors.language = `Choose one of ${LANGUAGES.join(", ")}`;
        if (hasErrors(errors)) return render(errors);
        try {
          const project = await service.createProject(
            deps,
            viewer.user.id,
            input as typeof CreateProjectBody.static,
          );
          return redirectAfterPost(request, `/projects/${project.id}`);
        } catch (error) {
          if (error instanceof ForbiddenError && error.code === "project_limit")
            return render({ form: error.message });
          if (!(error instanceof ValidationError)) throw error;
          return render({ [error.field ?? "form"]: "Choose a template for the selected language" });
        }
      },
      { session: true, body: FormBody },
    )
    .post(
      "/projects/:id/rename",
      async ({ viewer, request, params, body }) => {
        const name = (body.name ?? "").trim();
        const errors = labelled(formErrors(RenameBody, { name }));
        if (hasErrors(errors)) {
          const project = await service.getProject(deps, viewer.user.id, params.id);
          const props = { project, state: listState(body), csrfToken: viewer.csrfToken };
          return html(<RenameForm {...props} value={body.name ?? ""} error={errors.name} />, 422);
        }
        const project = await service.updateProject(deps, viewer.user.id, params.id, { name });
        return afterChange(request, viewer, body, `Renamed to “${project.name}”.`);
      },
      { session: true, params: ProjectParams, body: FormBody },
    )
    .post(
      "/projects/:id/delete",
      async ({ viewer, request, params, body }) => {
        const project = await service.getProject(deps, viewer.user.id, params.id);
        await service.deleteProject(deps, viewer.user.id, project.id);
        return afterChange(request, viewer, body, `Deleted “${project.name}”.`);
      },
      { session: true, params: ProjectParams, body: FormBody },
    );
}
