// The import rules of the project, checked over src/ (`npm run lint:imports`, and a step of
// `npm test`): src/lib is shared by browser and server, so it imports no server, UI or client
// code, no Node built-ins and no DOM-only packages; islands, components, layouts and client run
// (also) in the browser and never import src/server; the server never imports UI.
//
// Reads .ts, .tsx, .mjs and .astro files (an .astro file's frontmatter and its <script>s) with
// TypeScript's own import scanner, which sees static imports, `import type`, `export … from`
// and dynamic `import()` and is not fooled by strings, comments or regular expressions.
// Prints each violation as `file:line imports X (rule)` and exits 1 when there is any.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mjs', '.astro']);
const NODE_BUILTINS = new Set(builtinModules);
/** Packages that need a browser's DOM or its storage: they have no place in code the server runs too. */
const DOM_ONLY_PACKAGES = ['idb', 'workbox-window'];
const UI_FOLDERS = ['islands', 'components', 'layouts'];

/**
 * The rules, each for the files of some top folders of src/: what a file there may not import.
 * `forbids` gets the import's target (`{ folder }` inside src/, `{ builtin }` or `{ package }`
 * outside it) and answers whether the rule forbids it.
 */
export const IMPORT_RULES = [
  {
    name: 'src/lib imports no server, client, UI or page code',
    from: ['lib'],
    forbids: (target) => ['server', 'client', ...UI_FOLDERS, 'pages'].includes(target.folder),
  },
  {
    name: 'src/lib imports no Node built-ins',
    from: ['lib'],
    forbids: (target) => target.builtin !== undefined,
  },
  {
    name: 'src/lib imports no DOM-only modules',
    from: ['lib'],
    forbids: (target) => target.package !== undefined && DOM_ONLY_PACKAGES.includes(target.package),
  },
  {
    name: 'islands, components, layouts and client never import src/server',
    from: [...UI_FOLDERS, 'client'],
    forbids: (target) => target.folder === 'server',
  },
  {
    name: 'src/server never imports islands, components, layouts or pages',
    from: ['server'],
    forbids: (target) => [...UI_FOLDERS, 'pages'].includes(target.folder),
  },
];

function* sourceFiles(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (SOURCE_EXTENSIONS.has(extname(entry.name))) yield path;
  }
}

/**
 * The code of a file to scan for imports, at the same offsets as in the file: all of a script
 * module; of an .astro file only its frontmatter and <script> bodies, the markup blanked out
 * (newlines kept, so offsets still give the right line).
 */
export function codeOf(path, text) {
  if (extname(path) !== '.astro') return text;
  const keep = [];
  const frontmatter = /^\s*---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (frontmatter) keep.push([frontmatter.index + frontmatter[0].indexOf(frontmatter[1]), frontmatter[1].length]);
  for (const script of text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) keep.push([script.index + script[0].indexOf('>') + 1, script[1].length]);
  const blanked = text.replace(/[^\n]/g, ' ').split('');
  for (const [start, length] of keep) for (let index = start; index < start + length; index += 1) blanked[index] = text[index];
  return blanked.join('');
}

/** What an import points at: a top folder of src/ for a relative import, else a built-in or a package. */
function targetOf(specifier, importer, srcRoot) {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const inside = relative(srcRoot, resolve(dirname(importer), specifier));
    if (inside.startsWith('..')) return { outside: true };
    return { folder: inside.split(sep)[0] };
  }
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0])) return { builtin: specifier };
  const parts = specifier.split('/');
  return { package: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

/**
 * Every import under `srcRoot` that breaks a rule, as `{ file, line, specifier, rule }` with the
 * file relative to `root` (the repository), in file order.
 */
export function findViolations(srcRoot, root = dirname(srcRoot)) {
  const violations = [];
  for (const path of [...sourceFiles(srcRoot)].sort()) {
    const folder = relative(srcRoot, path).split(sep)[0];
    const rules = IMPORT_RULES.filter((rule) => rule.from.includes(folder));
    if (rules.length === 0) continue;
    const code = codeOf(path, readFileSync(path, 'utf8'));
    for (const imported of ts.preProcessFile(code, true, true).importedFiles) {
      const target = targetOf(imported.fileName, path, srcRoot);
      for (const rule of rules) {
        if (!rule.forbids(target)) continue;
        const line = code.slice(0, imported.pos).split('\n').length;
        violations.push({ file: relative(root, path), line, specifier: imported.fileName, rule: rule.name });
      }
    }
  }
  return violations;
}

/** One violation as the checker prints it. */
export function describeViolation({ file, line, specifier, rule }) {
  return `${file}:${line} imports ${specifier} (${rule})`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const violations = findViolations(join(root, 'src'), root);
  for (const violation of violations) console.log(describeViolation(violation));
  console.log(violations.length === 0 ? 'imports: every import in src/ keeps the import rules' : `imports: ${violations.length} imports break the rules`);
  process.exit(violations.length === 0 ? 0 : 1);
}
