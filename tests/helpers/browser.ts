/**
 * Which Chromium the end-to-end tests launch. Playwright's own browser downloads cannot reach
 * this workplace, so Debian's Chromium comes first; Playwright's build is used where installed.
 */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package installs the browser. */
export const debianChromiumPath = '/usr/bin/chromium';

/** The browser to launch, or why there is none. */
export type ChromiumChoice =
  | { executablePath: string; source: 'debian' | 'playwright' }
  | { executablePath: undefined; reason: string };

/**
 * Flags for a headless Chromium in a container and without network: no sandbox (we run as
 * root), no GPU, and none of the background traffic (updates, sync, QUIC probing) that would
 * only slow tests down or fail. Playwright adds `--headless` itself.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Finds Debian's Chromium, else Playwright's bundled one, else explains what to install. */
export function resolveChromium(): ChromiumChoice {
  if (existsSync(debianChromiumPath)) return { executablePath: debianChromiumPath, source: 'debian' };
  const bundledPath = chromium.executablePath();
  if (existsSync(bundledPath)) return { executablePath: bundledPath, source: 'playwright' };
  return {
    executablePath: undefined,
    reason: `no Chromium found: neither ${debianChromiumPath} nor Playwright's ${bundledPath} exists. Install it with: sudo apt-get install -y chromium`,
  };
}
