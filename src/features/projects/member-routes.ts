import { Elysia, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { apiModels, bearer, errors, noContent, oneOf, projectIdParameter } from "../docs/api-schema.ts";
import * as members from "./members.ts";
import { AddMemberBody, MemberParams, ProjectParams, UpdateMemberBody } from "./model.ts";

const Member = t.Object(
  {
    userId: t.Nullable(t.String({ format: "uuid", description: "Null while the invitation is pending" })),
    email: t.String({ description: "Lowercased" }),
    name: t.Nullable(t.String({ description: "First and last name; null when unknown or pending" })),
    role: oneOf(["owner", "editor", "viewer"]),
    status: oneOf(["member", "pending"], {
      description: "`pending` until an account is registered with the email",
    }),
  },
  { description: "Someone with access to the project, or invited to it." },
);

/** What the routes answer, as reference models (`components.schemas` of the document). */
const models = {
  Member,
  MemberList: t.Object(
    { members: t.Array(Member) },
    { description: "The owner first, then members and invitations in the order they were added." },
  ),
};

const MEMBER_KEY = {
  name: "userId",
  in: "path",
  required: true,
  description:
    "The member's user id, or the email their invitation went to (compared without regard to case). " +
    "A pending invitation has no user id yet (`userId: null` in the list): name it by its email.",
} as const;

/**
 * The JSON face of a project's members (docs/api.md, "Collaboration"). A pending invitation has no
 * user id yet: its `:userId` segment is the invited email (any member may be named by email).
 */
export function memberRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects", tags: ["Members"] })
    .use(apiModels)
    .model(models)
    .use(authPlugin(deps))
    .get(
      "/:id/members",
      async ({ principal, params }) => ({
        members: await members.listMembers(deps, principal.userId, params.id),
      }),
      {
        auth: true,
        params: ProjectParams,
        response: { 200: "MemberList", ...errors(400, 401, 404, 429) },
        detail: {
          operationId: "listMembers",
          summary: "List a project's members",
          description:
            "Everyone with access, the owner first, then members and pending invitations in the order they " +
            "were added. Any member may list them.",
          parameters: [projectIdParameter],
          ...bearer("api"),
        },
      },
    )
    .post(
      "/:id/members",
      async ({ principal, params, body, set }) => {
        const member = await members.addMember(deps, principal.userId, params.id, body);
        set.status = 201;
        return member;
      },
      {
        auth: true,
        params: ProjectParams,
        body: AddMemberBody,
        response: { 201: "Member", ...errors(400, 401, 403, 404, 409, 413, 429) },
        detail: {
          operationId: "addMember",
          summary: "Add a member",
          description:
            "The owner only (else 403). An email with an account becomes a member at once; any other is " +
            "invited (`status: pending`) and becomes a member as soon as an account is registered with it, " +
            "with a password or through OAuth. The owner or someone already on the list is a 409.",
          parameters: [projectIdParameter],
          ...bearer("api"),
        },
      },
    )
    .patch(
      "/:id/members/:userId",
      ({ principal, params, body }) =>
        members.changeRole(deps, principal.userId, params.id, params.userId, body.role),
      {
        auth: true,
        params: MemberParams,
        body: UpdateMemberBody,
        response: { 200: "Member", ...errors(400, 401, 403, 404, 409, 413, 429) },
        detail: {
          operationId: "changeMemberRole",
          summary: "Change a member's role",
          description: "The owner only (else 403). The owner's own role cannot change (409).",
          parameters: [projectIdParameter, MEMBER_KEY],
          ...bearer("api"),
        },
      },
    )
    .delete(
      "/:id/members/:userId",
      async ({ principal, params, set }) => {
        await members.removeMember(deps, principal.userId, params.id, params.userId);
        set.status = 204;
      },
      {
        auth: true,
        params: MemberParams,
        response: { 204: noContent("Removed."), ...errors(400, 401, 403, 404, 409, 429) },
        detail: {
          operationId: "removeMember",
          summary: "Remove a member, or leave",
          description:
            "The owner removes a member or withdraws an invitation; any other member may remove only " +
            "themselves (leave; else 403). The owner cannot leave (409). Access ends at once.",
          parameters: [projectIdParameter, MEMBER_KEY],
          ...bearer("api"),
        },
      },
    );
}
