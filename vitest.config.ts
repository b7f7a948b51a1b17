import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure functions, no server) and `api` (HTTP against one built server
 * started by tests/helpers/api-global-setup.ts). End-to-end tests run under Playwright instead.
 */
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
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/api-global-setup.ts'],
          // All files share one server and one database: running them one after another keeps
          // a test's view of the stored rows free of other files' writes in flight.
          fileParallelism: false,
        },
      },
    ],
  },
});
