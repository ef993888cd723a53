import type { Role } from "../../src/features/projects/access.ts";
import type { Member } from "../../src/features/projects/members.ts";
import { Badge } from "../components/_badge.tsx";
import { Button, CloseButton } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Dialog, DialogTitle } from "../components/_dialog.tsx";
import { inputClass, LABEL } from "../components/_field.tsx";
import { projectPart } from "./urls.ts";

const INPUT = inputClass("sm");

const ROLE_LABELS: Record<Role, string> = { owner: "Owner", editor: "Can edit", viewer: "Can view" };

/**
 * The Share dialog of the project page. The Share button opens it (Invoker Commands) and loads
 * the member list into it with htmx; its forms answer with the list again, so it stays open.
 */
export function ShareDialog() {
  return (
    <Dialog id="share-dialog" aria-labelledby="share-title" data-stay-open>
      <div class="flex items-center justify-between gap-2 border-b border-slate-200 py-3 pr-3 pl-5 sm:pl-6 dark:border-ink-700">
        <DialogTitle id="share-title">Share</DialogTitle>
        <CloseButton label="Close" commandfor="share-dialog" command="close" />
      </div>
      <div id="share-body" class="p-5 sm:p-6">
        <p class="text-sm text-slate-500">Loading…</p>
      </div>
    </Dialog>
  );
}

export interface MembersPanelProps {
  projectId: string;
  members: Member[];
  /** The signed-in person: their row says "you", and a member other than the owner may leave. */
  me: string;
  role: Role;
  csrfToken: string;
  /** A refused change: the message (and, for an invitation, the email that was typed). */
  error?: string | undefined;
  email?: string | undefined;
}

/** How a member's `:userId` is written in a URL: their user id, or the invited email while pending. */
const memberPart = (projectId: string, member: Member, action: string) =>
  projectPart(projectId, `members/${encodeURIComponent(member.userId ?? member.email)}/${action}`);

/** A form that answers with the member list, swapped into the dialog. */
const panelForm = (action: string) => ({
  method: "post",
  action,
  "hx-post": action,
  "hx-target": "#share-body",
});

function MemberRow({ projectId, member, me, role, csrfToken }: MembersPanelProps & { member: Member }) {
  const you = member.userId === me;
  const label = member.name ?? member.email;
  const manage = role === "owner" && member.role !== "owner";
  return (
    <li class="flex flex-wrap items-center gap-x-3 gap-y-1.5 py-2.5" data-member={member.email}>
      {/* Wide enough to read a name; on a phone the controls wrap below it instead. */}
      <div class="min-w-48 flex-1">
        <p class="truncate text-sm font-medium">
          <span safe>{label}</span>
          {you ? <span class="font-normal text-slate-500"> (you)</span> : null}
        </p>
        <p class="truncate text-xs text-slate-500">
          {member.name ? <span safe>{member.email}</span> : null}
          {member.status === "pending" ? (
            <Badge tone="amber" class="ml-1">
              Invited · joins when they sign up
            </Badge>
          ) : null}
        </p>
      </div>
      {manage ? (
        <form class="flex items-center gap-1" {...panelForm(memberPart(projectId, member, "role"))}>
          <CsrfField token={csrfToken} />
          <select name="role" class={INPUT} aria-label={`Role of ${label}`}>
            <option value="editor" selected={member.role === "editor"} safe>
              {ROLE_LABELS.editor}
            </option>
            <option value="viewer" selected={member.role === "viewer"} safe>
              {ROLE_LABELS.viewer}
            </option>
          </select>
          <Button type="submit" size="xs">
            Save
          </Button>
        </form>
      ) : (
        <span class="text-xs text-slate-600 dark:text-slate-300" data-role={member.role} safe>
          {ROLE_LABELS[member.role]}
        </span>
      )}
      {manage ? (
        <form {...panelForm(memberPart(projectId, member, "remove"))}>
          <CsrfField token={csrfToken} />
          <Button type="submit" variant="danger-secondary" size="xs" aria-label={`Remove ${label}`}>
            Remove
          </Button>
        </form>
      ) : null}
      {you && member.role !== "owner" ? (
        <form {...panelForm(memberPart(projectId, member, "remove"))}>
          <CsrfField token={csrfToken} />
          <Button type="submit" variant="danger-secondary" size="xs">
            Leave project
          </Button>
        </form>
      ) : null}
    </li>
  );
}

/** The member list, with the invite form for the owner; the dialog's content and its fragment. */
export function MembersPanel(props: MembersPanelProps) {
  const { projectId, members, role, csrfToken, error, email } = props;
  const invite = projectPart(projectId, "members");
  return (
    <div data-members>
      {role === "owner" ? (
        <form class="mb-4 space-y-2" {...panelForm(invite)}>
          <CsrfField token={csrfToken} />
          <label for="invite-email" class={LABEL}>
            Invite by email
          </label>
          <div class="flex flex-wrap gap-2">
            <input
              id="invite-email"
              name="email"
              type="email"
              required
              maxlength="254"
              autocomplete="off"
              placeholder="name@example.com"
              value={email ?? ""}
              aria-invalid={error ? "true" : undefined}
              aria-describedby={error ? "invite-error" : undefined}
              class={`${INPUT} min-w-0 flex-1`}
            />
            <select name="role" class={INPUT} aria-label="Role">
              <option value="editor" safe>
                {ROLE_LABELS.editor}
              </option>
              <option value="viewer" safe>
                {ROLE_LABELS.viewer}
              </option>
            </select>
            <Button type="submit" variant="primary">
              Invite
            </Button>
          </div>
        </form>
      ) : null}
      {error ? (
        <p id="invite-error" class="mb-3 text-sm text-red-600 dark:text-red-400" role="alert" safe>
          {error}
        </p>
      ) : null}
      <h3 class="text-xs font-semibold uppercase tracking-wide text-slate-500">People with access</h3>
      <ul class="divide-y divide-slate-200 dark:divide-ink-700">
        {members.map((member) => (
          <MemberRow {...props} member={member} />
        ))}
      </ul>
    </div>
  );
}
