import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeViolation, findViolations } from '../../scripts/check-imports.mjs';

const trees: string[] = [];

/** A src/ tree in a temporary directory, from paths and their contents; returns the src/ path. */
function sourceTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'import-rules-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, 'src', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return join(root, 'src');
}

const reported = (src: string) => findViolations(src).map(describeViolation);

afterEach(() => {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the import check', () => {
  it('passes a tree that keeps the rules', () => {
    const src = sourceTree({
      'lib/errands.ts': "import { swedishDate } from './calendar';\nexport const x = 1;\n",
      'lib/calendar.ts': "import * as z from 'zod/mini';\nexport const swedishDate = () => z;\n",
      'server/storage.ts': "import { readFileSync } from 'node:fs';\nimport type { X } from '../lib/errands';\n",
      'components/Summary.astro': "---\nimport { x } from '../lib/errands';\n---\n<p>It's from '../server/storage' in prose.</p>\n",
      'pages/index.astro': "---\nimport { store } from '../server/storage';\nimport Summary from '../components/Summary.astro';\n---\n<Summary />\n",
      'islands/Form.tsx': "// import { store } from '../server/storage';\nimport { x } from '../lib/errands';\nconst quote = /'/;\n",
    });
    expect(reported(src)).toEqual([]);
  });

  it('catches src/lib importing the server, UI and pages, Node built-ins and DOM-only packages', () => {
    const src = sourceTree({
      'lib/a.ts': [
        "import { store } from '../server/storage';",
        "import type { Props } from '../islands/Form';",
        "export { Field } from '../components/Field';",
        "const page = await import('../pages/index.astro');",
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'path';",
        "import { openDB } from 'idb';",
        "import { open } from '../client/database';",
      ].join('\n'),
    });
    expect(reported(src)).toEqual([
      'src/lib/a.ts:1 imports ../server/storage (src/lib imports no server, client, UI or page code)',
      'src/lib/a.ts:2 imports ../islands/Form (src/lib imports no server, client, UI or page code)',
      'src/lib/a.ts:3 imports ../components/Field (src/lib imports no server, client, UI or page code)',
      'src/lib/a.ts:4 imports ../pages/index.astro (src/lib imports no server, client, UI or page code)',
      'src/lib/a.ts:5 imports node:fs (src/lib imports no Node built-ins)',
      'src/lib/a.ts:6 imports path (src/lib imports no Node built-ins)',
      'src/lib/a.ts:7 imports idb (src/lib imports no DOM-only modules)',
      'src/lib/a.ts:8 imports ../client/database (src/lib imports no server, client, UI or page code)',
    ]);
  });

  it('catches UI and client code importing src/server, in .astro frontmatter and <script> too', () => {
    const src = sourceTree({
      'layouts/Staff.astro': "---\nimport '../styles/global.css';\nimport { CSRF_FIELD } from '../server/staff/sessions';\n---\n<html></html>\n",
      'components/Map.astro': "<div></div>\n<script>\n  import { nearby } from '../server/fault-reports';\n</script>\n",
      'islands/Form.tsx': "import type { Stored } from '../server/storage/index';\n",
      'client/outbox.ts': "export async function load() {\n  return import('../server/intake');\n}\n",
    });
    const rule = 'islands, components, layouts and client never import src/server';
    expect(reported(src)).toEqual([
      `src/client/outbox.ts:2 imports ../server/intake (${rule})`,
      `src/components/Map.astro:3 imports ../server/fault-reports (${rule})`,
      `src/islands/Form.tsx:1 imports ../server/storage/index (${rule})`,
      `src/layouts/Staff.astro:3 imports ../server/staff/sessions (${rule})`,
    ]);
  });

  it('catches the server importing islands, components, layouts and pages', () => {
    const src = sourceTree({
      'server/forms.ts': [
        "import type { ErrandFormProps } from '../islands/ErrandForm';",
        "import { FORM_ERROR } from '../components/form/ErrorSummary';",
        "import type { Props } from '../layouts/Base.astro';",
        "export * from '../pages/api/v1/submissions';",
      ].join('\n'),
    });
    const rule = 'src/server never imports islands, components, layouts or pages';
    expect(reported(src)).toEqual([
      `src/server/forms.ts:1 imports ../islands/ErrandForm (${rule})`,
      `src/server/forms.ts:2 imports ../components/form/ErrorSummary (${rule})`,
      `src/server/forms.ts:3 imports ../layouts/Base.astro (${rule})`,
      `src/server/forms.ts:4 imports ../pages/api/v1/submissions (${rule})`,
    ]);
  });

  it('finds nothing in the real src/', () => {
    expect(reported(resolve('src'))).toEqual([]);
  });
});
