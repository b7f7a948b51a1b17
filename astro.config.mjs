// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';

/**
 * Hosts the portal answers to: Astro builds request URLs (and so our status links and the
 * Origin check in src/middleware.ts) only from hosts it trusts. PUBLIC_HOSTS adds the public one.
 */
const allowedDomains = ['localhost', '127.0.0.1', ...(process.env.PUBLIC_HOSTS ?? '').split(',').filter(Boolean)].map(
  (hostname) => ({ hostname }),
);

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  // Astro's own origin check answers 403 in plain text and also refuses API clients that send
  // no Origin; src/middleware.ts checks Origin itself and answers problem+json.
  security: { checkOrigin: false, allowedDomains },
  build: { inlineStylesheets: 'always' },
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? 'localhost' },
  devToolbar: { enabled: false },
});
