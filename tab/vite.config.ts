import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
// @ts-expect-error -- a plain .mjs script without types; it only prints the size report
import { reportTabSize } from '../scripts/tab-size.mjs';
// @ts-expect-error -- a plain .mjs script without types (esbuild bundle of the customer call page)
import { buildCustomerCall } from '../scripts/build-customer-call.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${repo}dist/tab`;
/** Where `npm run dev:tab` sends `/api` (the bot's default port). */
const devApi = process.env['TAB_DEV_API'] ?? 'http://localhost:3978';

/** After a build, prints the gzipped size of the initial JavaScript (budget: 250 KB). */
function sizeReport(): Plugin {
  let builtTo = outDir;
  return {
    name: 'one-time-call:tab-size',
    apply: 'build',
    configResolved(config) {
      builtTo = config.build.outDir;
    },
    closeBundle() {
      (reportTabSize as (dir: string) => boolean)(builtTo);
    },
  };
}

/** The customer's call page script is built with the tab and served from its `assets/`. */
function customerCall(): Plugin {
  let builtTo = outDir;
  return {
    name: 'one-time-call:customer-call',
    apply: 'build',
    configResolved(config) {
      builtTo = config.build.outDir;
    },
    async closeBundle() {
      await (buildCustomerCall as (dir: string) => Promise<unknown>)(builtTo);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), sizeReport(), customerCall()],
  resolve: {
    alias: { '@shared': `${repo}shared/src/index.ts` },
  },
  build: {
    outDir,
    // The entry is React + Fluent (about 190 KB gzip); teams-js and qrcode load on demand.
    chunkSizeWarningLimit: 900,
    emptyOutDir: true,
    sourcemap: true,
    assetsDir: 'assets',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': {
        target: devApi,
        changeOrigin: true,
        // The server takes state-changing requests only from its own origin; in development the
        // page comes from Vite, so present the request as the server's own.
        configure: (proxy) => {
          proxy.on('proxyReq', (request) => {
            if (request.getHeader('origin')) request.setHeader('origin', devApi);
          });
        },
      },
    },
  },
});
