import type { Schema } from "../../src/features/docs/types.ts";
import { DocText } from "./_text.tsx";

type Schemas = Record<string, Schema>;

const MAX_DEPTH = 6;
const refName = (ref: string) => ref.slice(ref.lastIndexOf("/") + 1);
const show = (value: unknown) => JSON.stringify(value);

/** A schema with its `$ref` followed and its `allOf` parts merged into one object. */
function resolve(schema: Schema, schemas: Schemas): Schema {
  if (schema.$ref) return resolve(schemas[refName(schema.$ref)] ?? {}, schemas);
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((part) => resolve(part, schemas));
  return {
    type: "object",
    ...(schema.description ? { description: schema.description } : {}),
    properties: Object.assign({}, ...parts.map((p) => p.properties)),
    required: parts.flatMap((p) => p.required ?? []),
  };
}

/** A short type for people: `string (uuid)`, `array of Project`, `"asc" | "desc"`, `integer or null`. */
export function typeLabel(schema: Schema): string {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.const !== undefined) return show(schema.const);
  if (schema.enum) return schema.enum.map(show).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map(typeLabel).join(union.every((s) => s.const !== undefined) ? " | " : " or ");
  if (schema.allOf) return schema.allOf.map(typeLabel).join(" and ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return schema.properties ? "object" : "any";
  return types
    .map((type) => {
      if (type === "array") return `array of ${schema.items ? typeLabel(schema.items) : "any"}`;
      return schema.format ? `${type} (${schema.format})` : type;
    })
    .join(" or ");
}

/** Limits worth knowing before sending a value: lengths, ranges, pattern, default. */
export function constraints(schema: Schema): string[] {
  const out: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit: string) => {
    if (min !== undefined && max !== undefined) out.push(`${min}–${max}${unit}`);
    else if (min !== undefined) out.push(`≥ ${min}${unit}`);
    else if (max !== undefined) out.push(`≤ ${max}${unit}`);
  };
  range(schema.minLength, schema.maxLength, " characters");
  range(schema.minimum, schema.maximum, "");
  if (schema.pattern) out.push(`matches ${schema.pattern}`);
  if (schema.default !== undefined) out.push(`default ${show(schema.default)}`);
  return out;
}

/** The object whose fields a schema shows: itself, its array's items, or the object of a nullable union. */
function objectOf(schema: Schema, schemas: Schemas): Schema | undefined {
  const resolved = resolve(schema, schemas);
  if (resolved.properties) return resolved;
  if (resolved.items) return objectOf(resolved.items, schemas);
  const union = resolved.anyOf ?? resolved.oneOf;
  const objects = union?.map((s) => objectOf(s, schemas)).filter((s) => s !== undefined);
  return objects?.length === 1 ? objects[0] : undefined;
}

interface FieldsProps {
  schema: Schema;
  schemas: Schemas;
  depth?: number;
}

/** The fields of an object schema as a nested list, each with type, requiredness, limits and description. */
function SchemaFields({ schema, schemas, depth = 0 }: FieldsProps): JSX.Element {
  const object = objectOf(schema, schemas);
  if (!object?.properties || depth > MAX_DEPTH) return "";
  const required = new Set(object.required ?? []);
  return (
    <ul class={depth ? "mt-1 space-y-1 border-l border-slate-200 pl-4 dark:border-ink-700" : "space-y-1"}>
      {Object.entries(object.properties).map(([name, field]) => {
        const limits = constraints(field);
        return (
          <li class="text-sm">
            <code class="font-mono font-medium" safe>
              {name}
            </code>{" "}
            <span class="font-mono text-xs text-slate-500" safe>
              {typeLabel(field)}
            </span>{" "}
            {required.has(name) ? (
              <span class="text-xs text-red-600 dark:text-red-400">required</span>
            ) : (
              <span class="text-xs text-slate-500">optional</span>
            )}
            {limits.length ? (
              <span class="text-xs text-slate-500" safe>
                {` · ${limits.join(" · ")}`}
              </span>
            ) : (
              ""
            )}
            <DocText text={field.description} class="text-slate-600 dark:text-slate-300" />
            <SchemaFields schema={field} schemas={schemas} depth={depth + 1} />
          </li>
        );
      })}
    </ul>
  );
}

/** A whole schema: its type, then its fields. */
export function SchemaView({ schema, schemas }: { schema: Schema; schemas: Schemas }) {
  const limits = constraints(schema);
  return (
    <div class="mt-1 space-y-1">
      <p class="font-mono text-xs text-slate-500" safe>
        {[typeLabel(schema), ...limits].join(" · ")}
      </p>
      <DocText text={schema.description} />
      <SchemaFields schema={schema} schemas={schemas} />
    </div>
  );
}
