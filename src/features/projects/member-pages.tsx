import { Elysia, t } from "elysia";
import { MembersPanel, type MembersPanelProps } from "../../../views/editor/_share.tsx";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { html, redirectAfterPost } from "../../plugins/htmx.ts";
import { formErrors } from "../auth/form-errors.ts";
import { sessionPlugin, type Viewer } from "../auth/session-guard.ts";
import { projectAccess } from "./access.ts";
import * as members from "./members.ts";
import { AddMemberBody, MemberParams, ProjectParams, UpdateMemberBody } from "./model.ts";

// Forms are checked against the JSON face's models by hand so a refusal shows in the dialog.
const FormBody = t.Record(t.String(), t.String({ maxLength: 4096 }));

/**
 * A refusal the dialog shows in place (a bad field, a duplicate, the owner's own row), not as an
 * error; a 403 or 404 is the access guard's answer and stays one.
 */
const shown = (error: unknown) =>
  error instanceof AppError && [400, 409].includes(error.status) ? error.message : undefined;

/**
 * The Share dialog's fragments on the project page: the member list for every member, inviting,
 * changing roles and removing for the owner, and leaving for anyone else. Each form answers with
 * the list again (a refusal in place, 422); leaving sends the person back to their projects.
 */
export function memberPages(deps: Deps) {
  const panel = async (
    viewer: Viewer,
    projectId: string,
    refused?: Pick<MembersPanelProps, "error" | "email">,
  ) => {
    const { project, role } = await projectAccess(deps, viewer.user.id, projectId, "viewer");
    const list = await members.listMembers(deps, viewer.user.id, project.id);
    const props = { projectId: project.id, members: list, me: viewer.user.id, role };
    return html(<MembersPanel {...props} csrfToken={viewer.csrfToken} {...refused} />, refused ? 422 : 200);
  };
  /** Run a change and answer with the list, or with the list and the refusal. */
  const change = async (viewer: Viewer, projectId: string, run: () => Promise<unknown>, email?: string) => {
    try {
      await run();
    } catch (error) {
      const message = shown(error);
      if (message === undefined) throw error;
      return panel(viewer, projectId, { error: message, email });
    }
    return panel(viewer, projectId);
  };

  return new Elysia({ name: "member-pages" })
    .use(sessionPlugin(deps))
    .get("/projects/:id/members", ({ viewer, params }) => panel(viewer, params.id), {
      session: true,
      params: ProjectParams,
    })
    .post(
      "/projects/:id/members",
      ({ viewer, params, body }) => {
        const input = { email: (body.email ?? "").trim(), role: body.role ?? "" };
        const errors = formErrors(AddMemberBody, input);
        const problem =
          errors.email ?? (errors.role ? "Choose whether they can edit or only view" : undefined);
        if (problem) return panel(viewer, params.id, { error: problem, email: input.email });
        const add = () =>
          members.addMember(deps, viewer.user.id, params.id, input as typeof AddMemberBody.static);
        return change(viewer, params.id, add, input.email);
      },
      { session: true, params: ProjectParams, body: FormBody },
    )
    .post(
      "/projects/:id/members/:userId/role",
      ({ viewer, params, body }) => {
        const input = { role: body.role ?? "" };
        if (Object.keys(formErrors(UpdateMemberBody, input)).length > 0)
          return panel(viewer, params.id, { error: "Choose whether they can edit or only view" });
        const role = input.role as typeof UpdateMemberBody.static.role;
        return change(viewer, params.id, () =>
          members.changeRole(deps, viewer.user.id, params.id, params.userId, role),
        );
      },
      { session: true, params: MemberParams, body: FormBody },
    )
    .post(
      "/projects/:id/members/:userId/remove",
      async ({ viewer, params, request }) => {
        const { role } = await projectAccess(deps, viewer.user.id, params.id, "viewer");
        const remove = () => members.removeMember(deps, viewer.user.id, params.id, params.userId);
        if (role === "owner") return change(viewer, params.id, remove);
        // Anyone else can only leave, after which the project is no longer theirs to see.
        await remove();
        return redirectAfterPost(request, "/projects", { full: true });
      },
      { session: true, params: MemberParams, body: FormBody },
    );
}
