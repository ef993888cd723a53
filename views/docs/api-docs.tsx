import { METHODS, type OpenApiDocument, type Operation } from "../../src/features/docs/types.ts";
import { LINK, NAV_ITEM } from "../components/_button.tsx";
import { Logo } from "../components/_logo.tsx";
import { Table, Td, Tr } from "../components/_table.tsx";
import { BaseLayout } from "../layouts/base.tsx";
import { MethodBadge, OperationDoc } from "./_operation.tsx";
import { DocText } from "./_text.tsx";

export interface ApiDocsProps {
  doc: OpenApiDocument;
  /** Where the same document is served as JSON. */
  jsonUrl: string;
}

interface Entry {
  method: string;
  path: string;
  operation: Operation;
}

const ERRORS_INTRO =
  'Every error answers `{"error": {"code", "message", "errorId"?}}` with one of these statuses; ' +
  "each operation lists the ones it can give.";
const H2 = "mb-4 text-2xl font-bold tracking-tight";
const tagId = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

function byTag(doc: OpenApiDocument): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>(doc.tags.map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const tag of operation.tags) groups.get(tag)?.push({ method, path, operation });
    }
  return groups;
}

function Contents({ groups }: { groups: Map<string, Entry[]> }) {
  return (
    <nav aria-label="Contents" class="mt-8 grid gap-6 sm:grid-cols-2">
      {[...groups].map(([tag, entries]) => (
        <div>
          <h2 class="mb-2 font-semibold">
            <a href={`#${tagId(tag)}`} class="hover:underline" safe>
              {tag}
            </a>
          </h2>
          <ul class="space-y-1 text-sm">
            {entries.map((e) => (
              <li class="flex items-center gap-2">
                <MethodBadge method={e.method} />
                <a
                  href={`#${e.operation.operationId}`}
                  class="break-all font-mono text-xs hover:underline"
                  safe
                >
                  {e.path}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/** The error responses the operations refer to, with the status they answer, by status. */
function errorStatuses(doc: OpenApiDocument): [string, number][] {
  const statuses = new Map<string, number>();
  for (const item of Object.values(doc.paths))
    for (const operation of Object.values(item))
      for (const [status, response] of Object.entries(operation.responses))
        if ("$ref" in response)
          statuses.set(response.$ref.slice(response.$ref.lastIndexOf("/") + 1), Number(status));
  return [...statuses].sort((a, b) => a[1] - b[1]);
}

function Errors({ doc }: { doc: OpenApiDocument }) {
  return (
    <section id="errors" class="mt-12">
      <h2 class={H2}>Errors</h2>
      <DocText text={ERRORS_INTRO} />
      <Table columns={["Status", "Code", "Name", "When"]} class="mt-4">
        {errorStatuses(doc).map(([name, status]) => {
          const response = doc.components.responses[name];
          const example = response?.content?.["application/json"]?.example as
            | { error?: { code?: string } }
            | undefined;
          return (
            <Tr id={`error-${name}`}>
              <Td class="font-mono font-semibold" safe>
                {String(status)}
              </Td>
              <Td class="font-mono" safe>
                {example?.error?.code ?? ""}
              </Td>
              <Td class="font-medium" safe>
                {name}
              </Td>
              <Td>
                <DocText text={response?.description} class="text-slate-600 dark:text-slate-300" />
              </Td>
            </Tr>
          );
        })}
      </Table>
    </section>
  );
}

/** The API reference, rendered on the server from the OpenAPI document: no script needed to read it. */
export function ApiDocsPage({ doc, jsonUrl }: ApiDocsProps) {
  const groups = byTag(doc);
  const components = {
    schemas: doc.components.schemas,
    responses: doc.components.responses,
    headers: doc.components.headers,
  };
  return (
    <BaseLayout title="API reference" bodyClass="min-h-screen flex flex-col">
      <header class="border-b border-slate-200 dark:border-ink-700">
        <div class="mx-auto flex w-full max-w-5xl items-center gap-3 px-4 py-3 sm:gap-6 sm:px-6">
          <Logo />
          <nav aria-label="Main" class="ml-auto flex items-center gap-1 text-sm">
            <a href={jsonUrl} class={NAV_ITEM}>
              OpenAPI JSON
            </a>
            <a href="/projects" class={NAV_ITEM}>
              Projects
            </a>
          </nav>
        </div>
      </header>
      <main class="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6 sm:py-10">
        <h1 class="text-3xl font-bold tracking-tight" safe>
          {doc.info.title}
        </h1>
        <p class="mt-1 text-sm text-slate-500" safe>
          {`Version ${doc.info.version} · OpenAPI ${doc.openapi}`}
        </p>
        <DocText text={doc.info.description} class="mt-4 max-w-3xl text-slate-600 dark:text-slate-300" />
        <p class="mt-4 text-sm">
          The same reference as an OpenAPI document:{" "}
          <a href={jsonUrl} class={`${LINK} font-mono`} safe>
            {jsonUrl}
          </a>
        </p>
        <Contents groups={groups} />
        <Errors doc={doc} />
        {[...groups].map(([tag, entries]) => (
          <section id={tagId(tag)} class="mt-12 scroll-mt-4">
            <h2 class={H2} safe>
              {tag}
            </h2>
            <DocText
              text={doc.tags.find((t) => t.name === tag)?.description}
              class="-mt-2 mb-4 text-slate-600 dark:text-slate-300"
            />
            <div class="space-y-6">
              {entries.map((e) => (
                <OperationDoc method={e.method} path={e.path} operation={e.operation} {...components} />
              ))}
            </div>
          </section>
        ))}
      </main>
      <footer class="border-t border-slate-200 py-6 text-center text-sm text-slate-500 dark:border-ink-700">
        Aura IDE · <a href="/">home</a>
      </footer>
    </BaseLayout>
  );
}
