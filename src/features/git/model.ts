import { t } from "elysia";
import { oneOf } from "../docs/api-schema.ts";
import { Project } from "../projects/routes.ts";

/** A branch name as `git check-ref-format --branch` would allow, simplified: no `..`, no leading `-`. */
export const BRANCH_PATTERN = "^(?!-)(?!.*\\.\\.)(?!.*//)[A-Za-z0-9._/-]+(?<![./])$";
export const TOKEN_PATTERN = "^[\\x21-\\x7E]+$";

const Branch = t.String({
  minLength: 1,
  maxLength: 200,
  pattern: BRANCH_PATTERN,
  description: "A branch of the remote; its default branch when left out",
});

const Token = t.String({
  minLength: 1,
  maxLength: 1000,
  pattern: TOKEN_PATTERN,
  description:
    "A personal access token for the remote. Stored encrypted for your pushes and pulls; never shown again",
});

export const ImportGitBody = t.Object({
  url: t.String({ minLength: 1, maxLength: 2000, description: "An http: or https: git remote" }),
  branch: t.Optional(Branch),
  token: t.Optional(Token),
});

export const CommitBody = t.Object({
  message: t.String({ minLength: 1, maxLength: 10_000, pattern: "\\S", description: "The commit message" }),
});

export const TokenBody = t.Object({
  token: Token,
  host: t.String({
    minLength: 1,
    maxLength: 300,
    pattern: "^[A-Za-z0-9.\\-\\[\\]:]+$",
    description:
      "The host the token is for (`github.com`, or `git.example.com:8443`): it is offered only to remotes there, " +
      "so a remote someone else chose (the owner of a project you edit) does not get it by asking",
  }),
});

const Change = t.Object({
  path: t.String(),
  status: oneOf(["added", "modified", "deleted"]),
});

export const GitStatus = t.Object(
  {
    branch: t.String(),
    remote: t.String({ description: "The remote's URL" }),
    ahead: t.Integer({ minimum: 0, description: "Commits made here and not yet pushed" }),
    behind: t.Integer({ minimum: 0, description: "Commits of the remote, as last fetched, not yet pulled" }),
    changes: t.Array(Change, { description: "The project's files compared with the last commit, by path" }),
  },
  { description: "Where the project stands against its last commit and its remote." },
);

export const GitOid = t.Object(
  { oid: t.String({ pattern: "^[0-9a-f]{40}$", description: "A commit id" }) },
  { description: "The commit the branch is at after the operation." },
);

export const GitImported = t.Composite(
  [
    Project,
    t.Object({
      skipped: t.Array(t.Object({ path: t.String(), reason: t.String() }), {
        description:
          "Paths of the repository the project does not hold as files, and why; commits keep them as they are",
      }),
    }),
  ],
  { description: "The new project, and what of the repository it could not hold." },
);

export const GitTokenState = t.Object(
  { configured: t.Boolean() },
  { description: "Whether you have a git token saved (the token itself is never shown)." },
);
