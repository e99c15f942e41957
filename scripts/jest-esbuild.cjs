// jest transform: TypeScript/TSX (and jose's ESM) to CommonJS with esbuild. Transpile only, like
// ts-jest with isolatedModules, with less work per file; `npm run typecheck` checks the types.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const esbuild = require('esbuild');

const self = createHash('sha256')
  .update(readFileSync(__filename))
  .update(esbuild.version)
  .digest('hex');

const loaderOf = (file) =>
  file.endsWith('.tsx')
    ? 'tsx'
    : file.endsWith('.ts')
      ? 'ts'
      : file.endsWith('.jsx')
        ? 'jsx'
        : 'js';

module.exports = {
  getCacheKey(source, file, options) {
    return createHash('sha256')
      .update(self)
      .update(file)
      .update(source)
      .update(options.configString)
      .update(String(options.instrument))
      .digest('hex');
  },
  process(source, file) {
    const result = esbuild.transformSync(source, {
      loader: loaderOf(file),
      format: 'cjs',
      target: 'node20',
      // jest runs CommonJS without --experimental-vm-modules: `import()` must become `require`.
      supported: { 'dynamic-import': false },
      jsx: 'automatic',
      sourcemap: 'inline',
      sourcefile: file,
      // As tsc with the repository's tsconfig (target ES2022): class fields use define semantics.
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
    });
    return { code: result.code };
  },
};
