import { Value } from "@sinclair/typebox/value";
import { t } from "elysia";
import { ValidationError } from "../../errors.ts";

/** An upload: one or more files, each at the matching `path`, else at `folder/` plus its name. */
const UploadBody = t.Object({
  file: t.Union([t.File(), t.Array(t.File(), { maxItems: 1000 })], {
    description: "The files; give the field once per file",
  }),
  path: t.Optional(
    t.Union([t.String({ maxLength: 600 }), t.Array(t.String({ maxLength: 600 }), { maxItems: 1000 })], {
      description:
        "Each file's path in the project, in the order of the files (a folder upload keeps its tree)",
    }),
  ),
  folder: t.Optional(
    t.String({
      maxLength: 500,
      description: "Where files without a `path` go (the project's root by default)",
    }),
  ),
  _csrf: t.Optional(t.String({ maxLength: 200 })),
});

/**
 * The upload form, checked against UploadBody inside the handler rather than by the route, so
 * that a request without a valid token is a 401 before its body is looked at.
 */
export function uploadForm(body: unknown): typeof UploadBody.static {
  if (Value.Check(UploadBody, body)) return body;
  const first = Value.Errors(UploadBody, body).First();
  const field = first?.path ? `body${first.path.replaceAll("/", ".")}` : "body";
  throw new ValidationError(`${field}: ${first?.message ?? "is not an upload form"}`, field);
}

/** The answer to an upload. */
export const UploadedFiles = t.Object(
  {
    files: t.Array(
      t.Object({
        path: t.String(),
        version: t.Integer({ minimum: 1 }),
        size: t.Integer({ minimum: 0, description: "Bytes" }),
        binary: t.Boolean({ description: "Stored as bytes: it downloads rather than opening in the editor" }),
      }),
    ),
  },
  { description: "Stored: every file, or (on an error) none." },
);

/** The dashboard's import form: the .zip in `file`, and a name for the project if wanted. */
export const ImportForm = t.Object({
  file: t.File({ description: "The .zip" }),
  name: t.Optional(t.String({ maxLength: 100 })),
  _csrf: t.Optional(t.String({ maxLength: 200 })),
});

/** An archive to import: the raw .zip body, or a form with the .zip in `file`. */
export const ImportBody = t.Union([
  t.ArrayBuffer({ description: "The .zip itself (`Content-Type: application/zip`)" }),
  ImportForm,
]);

export const ImportQuery = t.Object({
  name: t.Optional(
    t.String({
      minLength: 1,
      maxLength: 100,
      pattern: "\\S",
      description:
        "The new project's name (default: the file's name without `.zip`, else `Imported project`)",
    }),
  ),
});
