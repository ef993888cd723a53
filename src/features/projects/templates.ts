/** A starter project: its files and the file the IDE opens (and runs) first. */
export interface Template {
  id: string;
  language: "javascript" | "typescript" | "python" | "html" | "css";
  name: string;
  description: string;
  entry: string;
  files: Record<string, string>;
}

const readme = (title: string, run: string) =>
  `# ${title}\n\nCreated with Aura. ${run}\n\nEdit the files on the left; changes save as you type.\n`;

export const TEMPLATES: readonly Template[] = [
  {
    id: "javascript-starter",
    language: "javascript",
    name: "JavaScript",
    description: "A small script with a function and its output.",
    entry: "index.js",
    files: {
      "index.js": `function greet(name) {\n  return \`Hello, \${name}!\`;\n}\n\nconsole.log(greet("Aura"));\n`,
      "README.md": readme("JavaScript starter", "Press Run (Ctrl/Cmd-Enter) to run `index.js`."),
    },
  },
  {
    id: "typescript-starter",
    language: "typescript",
    name: "TypeScript",
    description: "Typed functions, run directly — no build step.",
    entry: "index.ts",
    files: {
      "index.ts": `interface Greeting {\n  name: string;\n  excited?: boolean;\n}\n\nexport function greet({ name, excited = false }: Greeting): string {\n  return \`Hello, \${name}\${excited ? "!" : "."}\`;\n}\n\nconsole.log(greet({ name: "Aura", excited: true }));\n`,
      "README.md": readme("TypeScript starter", "Press Run (Ctrl/Cmd-Enter) to run `index.ts`."),
    },
  },
  {
    id: "python-starter",
    language: "python",
    name: "Python",
    description: "A script with a function and a main guard.",
    entry: "main.py",
    files: {
      "main.py": `def greet(name: str) -> str:\n    return f"Hello, {name}!"\n\n\nif __name__ == "__main__":\n    print(greet("Aura"))\n`,
      "README.md": readme("Python starter", "Press Run (Ctrl/Cmd-Enter) to run `main.py`."),
    },
  },
  {
    id: "html-starter",
    language: "html",
    name: "HTML page",
    description: "A page with its stylesheet and script.",
    entry: "index.html",
    files: {
      "index.html": `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8" />\n    <title>Hello, Aura</title>\n    <link rel="stylesheet" href="style.css" />\n  </head>\n  <body>\n    <h1>Hello, Aura</h1>\n    <p id="when"></p>\n    <script src="script.js"></script>\n  </body>\n</html>\n`,
      "style.css": `body {\n  font-family: system-ui, sans-serif;\n  margin: 3rem auto;\n  max-width: 40rem;\n}\n`,
      "script.js": `document.getElementById("when").textContent = new Date().toDateString();\n`,
      "README.md": readme("HTML starter", "Open `index.html` to edit the page."),
    },
  },
  {
    id: "css-starter",
    language: "css",
    name: "CSS playground",
    description: "A stylesheet and a page to try it on.",
    entry: "styles.css",
    files: {
      "styles.css": `:root {\n  --accent: #6845f5;\n}\n\n.card {\n  border: 1px solid #ddd;\n  border-radius: 0.75rem;\n  padding: 1.5rem;\n}\n\n.card h2 {\n  color: var(--accent);\n}\n`,
      "index.html": `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8" />\n    <link rel="stylesheet" href="styles.css" />\n  </head>\n  <body>\n    <section class="card">\n      <h2>A card</h2>\n      <p>Style me in styles.css.</p>\n    </section>\n  </body>\n</html>\n`,
      "README.md": readme("CSS playground", "Edit `styles.css`; `index.html` shows it off."),
    },
  },
];

/** The template to seed a project with: the one asked for, or the language's default. */
export function templateFor(language: Template["language"], id?: string): Template | undefined {
  if (id) return TEMPLATES.find((t) => t.id === id && t.language === language);
  return TEMPLATES.find((t) => t.language === language);
}
