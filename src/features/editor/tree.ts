/** One row of the file tree: a file, or a folder holding more rows. */
export interface TreeNode {
  name: string;
  path: string;
  kind: "file" | "folder";
  children: TreeNode[];
}

/** Marks an otherwise empty folder: folders exist only as path prefixes of their files. */
export const FOLDER_MARKER = ".gitkeep";

/** Nest flat project paths into folders, folders first, then by name; folder markers are not shown. */
export function buildTree(paths: string[]): TreeNode[] {
  const root: TreeNode = { name: "", path: "", kind: "folder", children: [] };
  const folders = new Map<string, TreeNode>([["", root]]);
  for (const path of paths) {
    const parts = path.split("/");
    let parent = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const at = parts.slice(0, i + 1).join("/");
      let folder = folders.get(at);
      if (!folder) {
        folder = { name: parts[i]!, path: at, kind: "folder", children: [] };
        folders.set(at, folder);
        parent.children.push(folder);
      }
      parent = folder;
    }
    const name = parts.at(-1)!;
    if (name !== FOLDER_MARKER) parent.children.push({ name, path, kind: "file", children: [] });
  }
  const sort = (nodes: TreeNode[]) => {
    nodes.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "folder" ? -1 : 1));
    for (const n of nodes) sort(n.children);
  };
  sort(root.children);
  return root.children;
}
