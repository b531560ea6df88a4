import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The explainer's modules import one another in one direction: the route (explain, walk, the
 * exchange types) and the fates (fates, dead-letter) never import each other back. Type-only
 * imports count too, so a cycle cannot hide behind `import type`.
 */

const root = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Each module's imports of other modules of the explainer, resolved to files. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => resolve(dirname(file), name))
      .flatMap((base) => [`${base}.ts`, join(base, 'index.ts')])
      .filter((path) => known.has(path));
    graph.set(file, targets);
  }
  return graph;
}

/** Every import cycle, each as the list of modules around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found.map((cycle) => cycle.map((f) => relative(root, f)));
}

describe('explainer modules', () => {
  const graph = importGraph(sources(root));

  it('import one another without a cycle', () => {
    expect(graph.size).toBeGreaterThan(10);
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const a = join(root, 'a.ts');
    const b = join(root, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });

  it('keep the fates apart from the route: fates and dead-letter import neither', () => {
    const route = ['explain.ts', 'walk.ts', 'decisions.ts', 'hash-outcomes.ts'];
    for (const fate of ['fates.ts', 'dead-letter.ts']) {
      const imports = (graph.get(join(root, fate)) ?? []).map((f) => relative(root, f));
      expect(imports.filter((f) => route.includes(f) || f.startsWith('exchange-types'))).toEqual(
        [],
      );
    }
  });
});
