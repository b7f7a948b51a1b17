// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';

/**
 * Hosts Astro trusts to build request URLs from, fixed at build time. The public address of a
 * deployment is set at run time instead, with PUBLIC_URL (src/server/http.ts: publicOrigin).
 */
const allowedDomains = [{ hostname: 'localhost' }, { hostname: '127.0.0.1' }];

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
