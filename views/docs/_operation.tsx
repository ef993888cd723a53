import type {
  Header,
  Operation,
  Parameter,
  Reference,
  Response,
  Schema,
} from "../../src/features/docs/types.ts";
import { Badge, type BadgeTone } from "../components/_badge.tsx";
import { LINK } from "../components/_button.tsx";
import { Table, Td, Tr } from "../components/_table.tsx";
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

const METHOD_TONES: Record<string, BadgeTone> = {
  get: "emerald",
  post: "sky",
  put: "amber",
  patch: "amber",
  delete: "red",
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
    <Badge tone={METHOD_TONES[method] ?? "neutral"} code safe>
      {method}
    </Badge>
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
    <Table columns={["Name", "In", "Type and meaning"]}>
      {parameters.map((p) => (
        <Tr>
          <Td>
            <code class="font-mono font-medium" safe>
              {p.name}
            </code>
            {p.required ? <span class="ml-1 text-xs text-red-600 dark:text-red-400">required</span> : ""}
          </Td>
          <Td class="text-slate-500" safe>
            {String(p.in)}
          </Td>
          <Td>
            <span class="font-mono text-xs text-slate-500" safe>
              {parameterType(p)}
            </span>
            <DocText text={p.description} />
          </Td>
        </Tr>
      ))}
    </Table>
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
          <a href={`#error-${name}`} class={LINK} safe>
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
