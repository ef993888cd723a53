/**
 * Uploads into the file tree: the Upload inputs (files, or a folder with its tree) and files or
 * folders dropped on the tree, sent with XMLHttpRequest so a progress bar can follow large ones.
 * The server answers the new tree, swapped in here as htmx would.
 */
import { csrfToken } from "../editor/api.ts";
import { $ } from "./dom.ts";
import { toast } from "./toasts.ts";
import { syncTree } from "./tree.ts";

interface Picked {
  file: File;
  path: string;
}

declare const htmx: { process(element: Element): void } | undefined;

const DROPPING = ["ring-2", "ring-inset", "ring-aura-500", "bg-aura-50/40"];

/** Every file under a dropped entry, with its path below the drop (folders keep their tree). */
async function walk(entry: FileSystemEntry, prefix: string): Promise<Picked[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    return [{ file, path: prefix + entry.name }];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries answers in batches until it answers none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map((child) => walk(child, `${prefix}${entry.name}/`)));
  return nested.flat();
}

function progress(fraction: number | undefined, label = ""): void {
  const box = $<HTMLElement>("[data-upload-progress]");
  if (!box) return;
  box.hidden = fraction === undefined;
  const bar = $<HTMLProgressElement>("progress", box);
  if (bar) bar.value = Math.round((fraction ?? 0) * 100);
  const text = $<HTMLElement>("[data-upload-label]", box);
  if (text) text.textContent = label;
}

function errorOf(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // Not the JSON error shape (a proxy's page): say what status came back.
  }
  return `Upload failed (${xhr.status || "no connection"})`;
}

function upload(url: string, picked: Picked[], folder: string): void {
  if (picked.length === 0) return;
  const form = new FormData();
  for (const { file, path } of picked) {
    form.append("file", file, file.name);
    form.append("path", folder ? `${folder}/${path}` : path);
  }
  const what = picked.length === 1 ? picked[0]!.path : `${picked.length} files`;
  const xhr = new XMLHttpRequest();
  xhr.open("POST", url);
  xhr.setRequestHeader("accept", "application/json");
  xhr.setRequestHeader("x-csrf-token", csrfToken() ?? "");
  xhr.upload.addEventListener("progress", (e) => {
    if (e.lengthComputable) progress(e.loaded / e.total, `Uploading ${what}…`);
  });
  xhr.addEventListener("load", () => {
    progress(undefined);
    if (xhr.status < 200 || xhr.status >= 300) return toast(errorOf(xhr), "error");
    const fresh = new DOMParser().parseFromString(xhr.responseText, "text/html").getElementById("tree");
    const tree = $("#tree");
    if (fresh && tree) {
      tree.replaceWith(fresh);
      htmx?.process(fresh);
      syncTree();
    }
    toast(`Uploaded ${what}`, "success");
    // The open file was replaced: open it again, as the upload left it.
    const open = $<HTMLElement>("[data-editor], [data-binary]")?.dataset.path;
    const paths = picked.map(({ path }) => (folder ? `${folder}/${path}` : path));
    if (open && paths.includes(open))
      $<HTMLElement>(`[role="treeitem"][data-path="${CSS.escape(open)}"] [data-open]`)?.click();
  });
  xhr.addEventListener("error", () => {
    progress(undefined);
    toast("Upload failed: the connection broke off", "error");
  });
  progress(0, `Uploading ${what}…`);
  xhr.send(form);
}

/** The folder a drop lands in: a folder row's own path, a file row's folder, else the root. */
function dropFolder(target: EventTarget | null): string {
  const item = (target as Element | null)?.closest?.<HTMLElement>('[role="treeitem"]');
  const path = item?.dataset.path ?? "";
  if (item?.dataset.kind === "folder") return path;
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
}

/** A binary file has no editor to describe it: the status bar says what it is instead of the last file's state. */
function binaryStatus(): void {
  const binary = $<HTMLElement>("[data-binary]");
  if (!binary) return;
  const set = (name: string, text: string) => {
    const slot = $<HTMLElement>(`[data-status-${name}]`);
    if (slot) slot.textContent = text;
  };
  set("language", "Binary file");
  set("cursor", "");
  set("save", "");
}

export function listenForUploads(): void {
  document.addEventListener("htmx:after:swap", binaryStatus);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", binaryStatus);
  else binaryStatus();
  document.addEventListener("change", (e) => {
    const input = e.target as HTMLInputElement;
    const url = input.dataset?.upload;
    if (!url || !input.files) return;
    const picked = [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
    upload(url, picked, "");
    input.value = "";
  });
  const zone = () => $<HTMLElement>("#sidebar");
  const accepts = (e: DragEvent) =>
    Boolean($("[data-upload]")) && Boolean(e.dataTransfer?.types.includes("Files"));
  document.addEventListener("dragover", (e) => {
    if (!accepts(e) || !zone()?.contains(e.target as Node)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = "copy";
    zone()?.classList.add(...DROPPING);
  });
  document.addEventListener("dragleave", (e) => {
    if (!zone()?.contains(e.relatedTarget as Node | null)) zone()?.classList.remove(...DROPPING);
  });
  document.addEventListener("drop", async (e) => {
    zone()?.classList.remove(...DROPPING);
    const url = $<HTMLElement>("[data-upload]")?.dataset.upload;
    if (!url || !accepts(e) || !zone()?.contains(e.target as Node)) return;
    e.preventDefault();
    const folder = dropFolder(e.target);
    // Entries are taken before any await: the DataTransfer is emptied when the handler yields.
    const entries = [...(e.dataTransfer?.items ?? [])].flatMap((item) => item.webkitGetAsEntry() ?? []);
    const plain = entries.length === 0 ? [...(e.dataTransfer?.files ?? [])] : [];
    try {
      const picked =
        entries.length > 0
          ? (await Promise.all(entries.map((entry) => walk(entry, "")))).flat()
          : plain.map((file) => ({ file, path: file.name }));
      upload(url, picked, folder);
    } catch {
      toast("Those files could not be read", "error");
    }
  });
}
