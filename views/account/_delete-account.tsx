import type { OwnedProject } from "../../src/db/queries/account.ts";
import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Field, FormAlert } from "../components/_field.tsx";
import { Section, sectionForm } from "./_section.tsx";

export interface DeleteAccountProps {
  csrfToken: string;
  hasPassword: boolean;
  email: string;
  owned: OwnedProject[];
  memberships: { projectId: string; name: string; role: string }[];
  errors?: FieldErrors;
}

const people = (n: number) => `${n} other ${n === 1 ? "person" : "people"}`;
const projectsWord = (n: number) => `${n} project${n === 1 ? "" : "s"}`;

function summary(owned: number, memberships: number): string {
  const own = owned === 0 ? "You own no projects." : `You own ${projectsWord(owned)}; all will be deleted.`;
  if (memberships === 0) return own;
  return `${own} You will leave ${projectsWord(memberships)} others shared with you; they keep them.`;
}

/** What deleting the account takes with it, and the confirmation (password, or the email typed out). */
export function DeleteAccount({
  csrfToken,
  hasPassword,
  email,
  owned,
  memberships,
  errors = {},
}: DeleteAccountProps) {
  const shared = owned.filter((p) => p.sharedWith > 0);
  return (
    <Section
      id="delete-account"
      title="Delete account"
      intro="This deletes your account, every project you own with its files, history, conversations and search index, and signs you out everywhere. It cannot be undone; export your data first if you want a copy."
      danger
    >
      {shared.length > 0 ? (
        <div class="text-sm">
          <p class="font-medium text-red-700 dark:text-red-300">
            Projects you own are deleted for everyone they are shared with:
          </p>
          <ul class="mt-1 list-disc space-y-0.5 pl-5">
            {shared.map((p) => (
              <li>
                <span class="font-medium" safe>
                  {p.name}
                </span>{" "}
                <span class="text-slate-600 dark:text-slate-300" safe>
                  {`(shared with ${people(p.sharedWith)})`}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p class="text-sm text-slate-600 dark:text-slate-300" safe>
        {summary(owned.length, memberships.length)}
      </p>
      <form {...sectionForm("/account/delete", "delete-account")} class="space-y-4">
        <CsrfField token={csrfToken} />
        <FormAlert message={errors.form} />
        {hasPassword ? (
          <Field
            name="password"
            id="delete-password"
            label="Your password, to confirm"
            type="password"
            autocomplete="current-password"
            error={errors.password}
          />
        ) : (
          <Field
            name="email"
            id="delete-email"
            label={`Type your email (${email}) to confirm`}
            autocomplete="off"
            error={errors.email}
          />
        )}
        <Button type="submit" variant="danger" size="lg">
          Delete my account
        </Button>
      </form>
    </Section>
  );
}
