// Bundles the server into dist/bot/main.js. npm packages stay external (native better-sqlite3, pg),
// the project's own TypeScript (bot/ and the @shared core) is compiled in.
import { build } from 'esbuild';

await build({
  entryPoints: ['bot/src/main.ts'],
  outfile: 'dist/bot/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
});
console.log('built dist/bot/main.js');
