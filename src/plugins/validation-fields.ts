import { TransformKind, type TSchema } from "@sinclair/typebox";
import type { AnyElysia } from "elysia";
import { AppError, ValidationError } from "../errors.ts";

const PARTS = ["params", "query", "headers", "body"] as const;
const NAMED = Symbol("aura.named-field");

interface Transform {
  Decode(value: unknown): unknown;
  Encode(value: unknown): unknown;
  [NAMED]?: true;
}

/** The words of a coercion's failure: Elysia's ValidationError keeps TypeBox's in `valueError`. */
function detailOf(error: unknown): string {
  const message = (error as { valueError?: { message?: string } }).valueError?.message;
  return message ?? "is invalid";
}

function nameProperties(schema: TSchema, path: string): void {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties;
  if (!properties || typeof properties !== "object") return;
  for (const [key, property] of Object.entries(properties)) {
    const field = `${path}.${key}`;
    const transform = (property as { [TransformKind]?: Transform })[TransformKind];
    if (transform && !transform[NAMED]) {
      const decode = transform.Decode;
      const named: Transform = {
        ...transform,
        [NAMED]: true,
        Decode(value) {
          try {
            return decode(value);
          } catch (error) {
            if (error instanceof AppError) throw error;
            throw new ValidationError(`${field}: ${detailOf(error)}`, field);
          }
        },
      };
      // A copy per parent, so a property schema shared by two models is named in each.
      properties[key] = { ...property, [TransformKind]: named } as TSchema;
    }
    nameProperties(property, field);
  }
}

/**
 * Make every route's validation errors name their field. Elysia's coercing types (`t.Integer`,
 * `t.Numeric` in a query, path or body) check their bounds only after decoding, and a failure
 * there is thrown without the field's path (Elysia reports it as "property"); this wraps each
 * such decoder so its failure is a 400 naming `query.page`, `body.baseVersion`, …. Call once
 * on the whole app after its routes are added (routes compile on first use, and read these
 * schemas then).
 */
export function nameValidationFields(app: AnyElysia): void {
  for (const route of app.routes) {
    const hooks = route.hooks as Partial<Record<(typeof PARTS)[number], TSchema>> | undefined;
    for (const part of PARTS) {
      const schema = hooks?.[part];
      if (schema) nameProperties(schema, part);
    }
  }
}
