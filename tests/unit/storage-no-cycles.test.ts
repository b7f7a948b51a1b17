/**
 * No module in src/server/storage imports another in a circle: every import between them
 * counts — static, type-only, re-exports and dynamic `import()` — since a circle of any kind
 * means neither module can be read, changed or loaded without the other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const storage = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/server/storage');

/** The relative specifiers a module imports, re-exports or loads dynamically. */
function importedSpecifiers(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specifiers = [
    ...withoutComments.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...withoutComments.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...withoutComments.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]!);
  return specifiers.filter((specifier) => specifier.startsWith('.'));
}

/** The circles in a graph of module → modules it imports, each as the path round it. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (module: string) => {
    state.set(module, 'open');
    path.push(module);
    for (const next of graph.get(module) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(module, 'done');
  };
  for (const module of [...graph.keys()].sort()) if (!state.has(module)) visit(module);
  return found;
}

function storageGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of readdirSync(storage).filter((name) => name.endsWith('.ts'))) {
    const imports = importedSpecifiers(readFileSync(join(storage, file), 'utf8'))
      .map((specifier) => resolve(storage, specifier.replace(/\.(js|ts)$/, '')) + '.ts')
      .filter((target) => dirname(target) === storage)
      .map((target) => relative(storage, target));
    graph.set(file, imports);
  }
  return graph;
}

describe('imports inside src/server/storage', () => {
  it('reads every kind of import, and finds a circle where there is one', () => {
    expect(
      importedSpecifiers(
        [
          "import type { A } from './a';",
          "import { b,\n  c } from './b';",
          "export * from './c';",
          "export type { D } from './d';",
          "const e = await import('./e');",
          "import './f';",
          "import pg from 'pg';",
          "// import { g } from './g';",
        ].join('\n'),
      ),
    ).toEqual(['./a', './b', './c', './d', './f', './e']);
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(circles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('form no circle', () => {
    const graph = storageGraph();
    expect(graph.get('index.ts')).toContain('types.ts');
    expect(circles(graph).map((circle) => circle.join(' → '))).toEqual([]);
  });
});
