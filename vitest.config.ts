import { defineConfig } from 'vitest/config';

/**
 * Four projects: `unit` (pure functions, no server), `dom` (the islands in a simulated browser,
 * IndexedDB included, as a person uses them), and `api` and `api-postgres`: the same
 * HTTP tests against one built server on SQLite, and on PostgreSQL. End-to-end tests run under
 * Playwright instead.
 */
const apiTests = (name: string, globalSetup: string) => ({
  test: {
    name,
    include: ['tests/api/**/*.test.ts'],
    environment: 'node' as const,
    globalSetup: [globalSetup],
    // All files share one server and one database: running them one after another keeps
    // a test's view of the stored rows free of other files' writes in flight.
    fileParallelism: false,
  },
});

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        // Preact's JSX, as tsconfig.json has it: vitest's esbuild would otherwise emit React.createElement.
        esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
        test: {
          name: 'dom',
          include: ['tests/dom/**/*.dom.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['tests/dom/setup.ts'],
        },
      },
      apiTests('api', 'tests/helpers/api-global-setup.ts'),
      apiTests('api-postgres', 'tests/helpers/api-global-setup-postgres.ts'),
    ],
  },
});
