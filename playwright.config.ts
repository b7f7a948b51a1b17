/**
 * End-to-end tests in Chromium against the built portal (`npm run build` first).
 *
 * Which project runs a file is decided by its name, in tests/e2e/:
 *   name.spec.ts         runs with JavaScript (project `js`)
 *   name.nojs.spec.ts    runs with JavaScript disabled (project `no-js`)
 *   name.shared.spec.ts  runs in both; read `javaScriptEnabled` from the fixtures to tell them apart
 *
 * The server stores into `e2eDatabasePath` (tests/helpers/database.ts), emptied before each run.
 */
import { defineConfig } from '@playwright/test';
import { dirname, join } from 'node:path';
import { chromiumArgs, resolveChromium } from './tests/helpers/browser';
import { e2eDatabasePath } from './tests/helpers/database';

const port = Number(process.env['E2E_PORT'] ?? 4399);
const baseURL = `http://127.0.0.1:${port}`;

const chromium = resolveChromium();
if (chromium.executablePath === undefined) throw new Error(chromium.reason);

export default defineConfig({
  testDir: 'tests/e2e',
  // Playwright empties its output directory at start; keep it apart from the other reports in test-results/.
  outputDir: 'test-results/playwright',
  forbidOnly: Boolean(process.env['CI']),
  retries: 0,
  // The machines have two cores: one for the browser, one for the server.
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    launchOptions: { executablePath: chromium.executablePath, args: chromiumArgs },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'js',
      testMatch: '**/*.spec.ts',
      testIgnore: '**/*.nojs.spec.ts',
    },
    {
      name: 'no-js',
      testMatch: ['**/*.nojs.spec.ts', '**/*.shared.spec.ts'],
      use: { javaScriptEnabled: false },
    },
  ],
  webServer: {
    command: 'node scripts/e2e-server.mjs',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${e2eDatabasePath}`,
      // E-mail is written as .eml files beside the database (no SMTP server in the shared run).
      MAIL_DIRECTORY: join(dirname(e2eDatabasePath), 'mail'),
      ASTRO_TELEMETRY_DISABLED: '1',
      // The browser tests send many forms from one address, faster than a person would; the
      // limits themselves are tested against servers of their own (tests/api/abuse.test.ts).
      RATE_LIMIT_PER_MINUTE: '0',
      FORM_MIN_FILL_SECONDS: '0',
    },
    // SIGTERM lets the server close the SQLite file cleanly before tests read it afterwards.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
  },
});
