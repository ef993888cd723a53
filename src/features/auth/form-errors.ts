import type { TSchema } from "elysia";
import { TypeCompiler } from "elysia/type-system";
import { AppError, RateLimitError, type ValidationError } from "../../errors.ts";

/** Per-field messages in plain words; `form` is for a message about the whole form. */
export type FieldErrors = Partial<Record<string, string>> & { form?: string };

const LABELS: Record<string, string> = {
  email: "Email",
  password: "Password",
  firstName: "First name",
  lastName: "Last name",
  currentPassword: "Current password",
  newPassword: "New password",
};

interface SchemaLimits {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

function describe(field: string, value: unknown, schema: SchemaLimits): string {
  const label = LABELS[field] ?? field;
  const length = typeof value === "string" ? value.length : 0;
  if (typeof value !== "string" || (length === 0 && (schema.minLength ?? 0) > 0))
    return `${label} is required`;
  if (schema.minLength !== undefined && length < schema.minLength)
    return `${label} must be at least ${schema.minLength} characters`;
  if (schema.maxLength !== undefined && length > schema.maxLength)
    return `${label} must be at most ${schema.maxLength} characters`;
  if (field === "email") return "Enter an email address like name@example.com";
  return `${label} is not valid`;
}

const compiled = new WeakMap<TSchema, ReturnType<typeof TypeCompiler.Compile>>();

/**
 * Check a form against a feature's TypeBox model (the same one the JSON face validates with)
 * and describe each failing field in plain words, first problem per field only.
 */
export function formErrors(schema: TSchema, form: Record<string, unknown>): FieldErrors {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  const errors: FieldErrors = {};
  for (const error of check.Errors(form)) {
    const field = error.path.replace(/^\//, "").split("/")[0] ?? "";
    if (!field || errors[field]) continue;
    errors[field] = describe(field, error.value, error.schema as SchemaLimits);
  }
  return errors;
}

/** A service's ValidationError (`field: problem`) in a form's words, on its field (or the form). */
export function validationErrors(error: ValidationError): FieldErrors {
  const field = error.field ?? "form";
  const problem = error.message.replace(/^[\w.]+: /, "");
  return { [field]: field === "form" ? error.message : `${LABELS[field] ?? field} ${problem}` };
}

/** Turn a service failure a form can show into a message, or rethrow anything else. */
export function serviceErrorMessage(error: unknown): {
  status: number;
  message: string;
  headers?: Record<string, string>;
} {
  if (error instanceof RateLimitError) {
    const seconds = Number(error.headers?.["retry-after"] ?? 60);
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return {
      status: 429,
      message: `Too many attempts. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      headers: { "retry-after": String(seconds) },
    };
  }
  if (error instanceof AppError && (error.status === 401 || error.status === 409))
    return { status: error.status, message: error.message };
  throw error;
}
