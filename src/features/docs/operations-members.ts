import type { OperationDoc } from "./catalogue.ts";

const PROJECT_ID = { id: "The project's id." };
const MEMBER = {
  ...PROJECT_ID,
  userId:
    "The member's user id, or the email their invitation went to (compared without regard to case). " +
    "A pending invitation has no user id yet (`userId: null` in the list): name it by its email.",
};

/** A project's members (API.md "Collaboration"). */
export const MEMBER_OPERATIONS: Record<string, OperationDoc> = {
  "GET /api/v1/projects/:id/members": {
    operationId: "listMembers",
    tag: "Members",
    summary: "List a project's members",
    description:
      "Everyone with access, the owner first, then members and pending invitations in the order they " +
      "were added. Any member may list them.",
    auth: "api",
    success: { status: 200, description: "The project's members.", schema: "MemberList" },
    errors: ["NotFound"],
    params: PROJECT_ID,
  },
  "POST /api/v1/projects/:id/members": {
    operationId: "addMember",
    tag: "Members",
    summary: "Add a member",
    description:
      "The owner only (else 403). An email with an account becomes a member at once; any other is invited " +
      "(`status: pending`) and becomes a member as soon as an account is registered with it, with a " +
      "password or through OAuth. The owner or someone already on the list is a 409.",
    auth: "api",
    success: { status: 201, description: "The new member or invitation.", schema: "Member" },
    errors: ["NotFound", "Forbidden", "Conflict"],
    params: PROJECT_ID,
  },
  "PATCH /api/v1/projects/:id/members/:userId": {
    operationId: "changeMemberRole",
    tag: "Members",
    summary: "Change a member's role",
    description: "The owner only (else 403). The owner's own role cannot change (409).",
    auth: "api",
    success: { status: 200, description: "The member with the new role.", schema: "Member" },
    errors: ["NotFound", "Forbidden", "Conflict"],
    params: MEMBER,
  },
  "DELETE /api/v1/projects/:id/members/:userId": {
    operationId: "removeMember",
    tag: "Members",
    summary: "Remove a member, or leave",
    description:
      "The owner removes a member or withdraws an invitation; any other member may remove only themselves " +
      "(leave; else 403). The owner cannot leave (409). Access ends at once.",
    auth: "api",
    success: { status: 204, description: "Removed." },
    errors: ["NotFound", "Forbidden", "Conflict"],
    params: MEMBER,
  },
};
