import type {
  Header,
  Operation,
  Parameter,
  Reference,
  Response,
  Schema,
} from "../../src/features/docs/types.ts";
import { constraints, SchemaView, typeLabel } from "./_schema.tsx";
import { DocText } from "./_text.tsx";

export interface OperationProps {
  method: string;
  path: string;
  operation: Operation & { "x-allowance"?: string };
  schemas: Record<string, Schema>;
  responses: Record<string, Response>;
  headers: Record<string, Header>;
}

const METHOD_CLASSES: Record<string, string> = {
  get: "bg-emerald-100 text-emerald-800 dark:bg-emerald-400/15 dark:text-emerald-300",
  post: "bg-sky-100 text-sky-800 dark:bg-sky-400/15 dark:text-sky-300",
  put: "bg-amber-100 text-amber-800 dark:bg-amber-400/15 dark:text-amber-300",
  patch: "bg-amber-100 text-amber-800 dark:bg-amber-400/15 dark:text-amber-300",
  delete: "bg-red-50 text-red-700 dark:bg-red-950 dark:text-red-300",
};

const ALLOWANCES: Record<string, string> = {
  api: "general allowance (RATE_LIMIT_API)",
  editor: "editor allowance (RATE_LIMIT_EDITOR)",
};

// Typed as strings, not as their literals, so the `safe` that escapes their `<` is not taken for unneeded.
const CREDENTIALS: Record<string, string> = {
  bearerAuth: "Authorization: Bearer <access token>",
  accessTokenQuery: "?token=<access token>",
  sessionCookie: "the session cookie",
};
const refName = (ref: string) => ref.slice(ref.lastIndexOf("/") + 1);
const H4 = "mt-5 mb-2 text-xs font-semibold uppercase tracking-widest text-slate-500";

/** An HTTP method as a coloured badge. */
export function MethodBadge({ method }: { method: string }) {
  return (
    <span
      class={`rounded px-1.5 py-0.5 font-mono text-xs font-semibold uppercase ${METHOD_CLASSES[method] ?? ""}`}
      safe
    >
      {method}
    </span>
  );
}

function AuthLine({ operation }: { operation: OperationProps["operation"] }) {
  const schemes = operation.security.flatMap((requirement) => Object.keys(requirement));
  if (!schemes.length) return <p class="mt-3 text-sm">No token needed.</p>;
  const allowance = ALLOWANCES[operation["x-allowance"] ?? ""];
  return (
    <p class="mt-3 text-sm">
      Needs{" "}
      {schemes.map((scheme, i) => (
        <>
          {i > 0 ? " or " : ""}
          <code class="font-mono text-[0.85em]" safe>
            {CREDENTIALS[scheme] ?? scheme}
          </code>
        </>
      ))}
      {allowance ? <span safe>{`; counts against the caller's ${allowance}.`}</span> : "."}
    </p>
  );
}

const parameterType = (p: Parameter): string =>
  p.schema ? [typeLabel(p.schema), ...constraints(p.schema)].join(" · ") : "string";

function Parameters({ parameters }: { parameters: Parameter[] }) {
  return (
    <table class="w-full text-left text-sm">
      <thead class="text-xs text-slate-500">
        <tr>
          <th scope="col" class="py-1 pr-4 font-medium">
            Name
          </th>
          <th scope="col" class="py-1 pr-4 font-medium">
            In
          </th>
          <th scope="col" class="py-1 font-medium">
            Type and meaning
          </th>
        </tr>
      </thead>
      <tbody>
        {parameters.map((p) => (
          <tr class="border-t border-slate-100 align-top dark:border-ink-700">
            <td class="py-1.5 pr-4">
              <code class="font-mono font-medium" safe>
                {p.name}
              </code>
              {p.required ? <span class="ml-1 text-xs text-red-600 dark:text-red-400">required</span> : ""}
            </td>
            <td class="py-1.5 pr-4 text-slate-500" safe>
              {String(p.in)}
            </td>
            <td class="py-1.5">
              <span class="font-mono text-xs text-slate-500" safe>
                {parameterType(p)}
              </span>
              <DocText text={p.description} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ResponseItem(
  props: { status: string; response: Response | Reference } & Omit<
    OperationProps,
    "operation" | "method" | "path"
  >,
) {
  const name = "$ref" in props.response ? refName(props.response.$ref) : undefined;
  const response = name ? props.responses[name] : (props.response as Response);
  if (!response) return "";
  const headers = Object.entries(response.headers ?? {}).map(([header, h]) => ({
    header,
    ...("$ref" in h ? props.headers[refName(h.$ref)] : h),
  }));
  return (
    <li class="border-t border-slate-100 py-2 dark:border-ink-700">
      <p class="text-sm">
        <span class="font-mono font-semibold" safe>
          {props.status}
        </span>{" "}
        {name ? (
          <a href={`#error-${name}`} class="text-aura-700 hover:underline dark:text-aura-400" safe>
            {name}
          </a>
        ) : (
          ""
        )}
      </p>
      <DocText text={response.description} />
      {Object.entries(response.content ?? {}).map(([type, media]) =>
        name || !media.schema ? (
          ""
        ) : (
          <details class="mt-1" open={type === "application/json"}>
            <summary class="cursor-pointer font-mono text-xs text-slate-500" safe>
              {type}
            </summary>
            <SchemaView schema={media.schema} schemas={props.schemas} />
          </details>
        ),
      )}
      {headers.length && !name ? (
        <p class="mt-1 text-xs text-slate-500" safe>
          {`Headers: ${headers.map((h) => h.header).join(", ")}`}
        </p>
      ) : (
        ""
      )}
    </li>
  );
}

/** One operation of the reference: method and path, what it does, who may call it, its inputs and answers. */
export function OperationDoc(props: OperationProps) {
  const { method, path, operation } = props;
  const body = operation.requestBody?.content["application/json"]?.schema;
  return (
    <article
      id={operation.operationId}
      class="scroll-mt-4 rounded-xl border border-slate-200 p-6 dark:border-ink-700"
    >
      <h3 class="flex flex-wrap items-center gap-2">
        <MethodBadge method={method} />
        <code class="break-all font-mono text-sm font-semibold" safe>
          {path}
        </code>
      </h3>
      <p class="mt-2 font-semibold" safe>
        {operation.summary ?? operation.operationId}
      </p>
      <DocText text={operation.description} />
      <AuthLine operation={operation} />
      {operation.parameters?.length ? (
        <>
          <h4 class={H4}>Parameters</h4>
          <Parameters parameters={operation.parameters} />
        </>
      ) : (
        ""
      )}
      {body ? (
        <>
          <h4 class={H4}>Request body · application/json</h4>
          <SchemaView schema={body} schemas={props.schemas} />
        </>
      ) : (
        ""
      )}
      <h4 class={H4}>Responses</h4>
      <ul>
        {Object.entries(operation.responses).map(([status, response]) => (
          <ResponseItem status={status} response={response} {...props} />
        ))}
      </ul>
    </article>
  );
}
