// jest transform for the CommonJS barrels of Fluent UI (@fluentui/react-components and
// @fluentui/react-icons): their re-exports become lazy, so a suite loads only the Fluent
// packages and icon chunks it touches instead of all of them (the icon barrel alone is 19 MB of
// code in 60 chunks). jest keeps one module registry per test file, so without this every tab
// suite compiled and ran the whole of Fluent again: most of the tab project's CPU time.
//
// A bundler does the same for the browser build (these packages declare `"sideEffects": false`),
// so deferring a re-exported module until its first use changes nothing a component observes.
// A module the rewriting does not recognise is left eager: the transform never drops an export.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const self = createHash('sha256').update(readFileSync(__filename)).digest('hex');

/** The package.json next to a barrel, so that a Fluent upgrade invalidates jest's cache. */
function packageJsonOf(file) {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      return readFileSync(path.join(dir, 'package.json'), 'utf8');
    } catch {
      // not here: look one level up
    }
  }
  return '';
}

const helpers = `
function __lazyModule(load) {
  let loaded;
  return new Proxy({}, {
    get: (_, key) => (loaded ??= load())[key],
    has: (_, key) => key in (loaded ??= load()),
    ownKeys: () => Reflect.ownKeys((loaded ??= load())),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor((loaded ??= load()), key);
      return d && { ...d, configurable: true };
    },
  });
}
// One Proxy in front of the icon barrel's exports, not one getter per icon: defining ~20,000
// properties would itself cost a fifth of a second in every suite.
// (Appended after the barrel's code, which runs first: hence \`var\` without initialisers.)
var __lazyChunks;
var __lazyIndex;
function __lazyChunk(load, names) {
  (__lazyChunks ??= []).push({ load, names, loaded: undefined });
}
function __chunkOf(key) {
  if (!__lazyIndex) {
    __lazyIndex = new Map();
    for (const chunk of __lazyChunks)
      for (const name of chunk.names.split(','))
        if (!__lazyIndex.has(name)) __lazyIndex.set(name, chunk);
  }
  return typeof key === 'string' ? __lazyIndex.get(key) : undefined;
}
function __lazyExports(target) {
  const lazy = (key) => (key in target ? undefined : __chunkOf(key));
  const read = (chunk, key) => (chunk.loaded ??= chunk.load())[key];
  return new Proxy(target, {
    get: (t, key, receiver) => {
      const chunk = lazy(key);
      return chunk ? read(chunk, key) : Reflect.get(t, key, receiver);
    },
    has: (t, key) => key in t || lazy(key) !== undefined,
    ownKeys: (t) => {
      __chunkOf('');
      return [...Reflect.ownKeys(t), ...[...__lazyIndex.keys()].filter((k) => !(k in t))];
    },
    getOwnPropertyDescriptor: (t, key) => {
      const chunk = lazy(key);
      if (!chunk) return Reflect.getOwnPropertyDescriptor(t, key);
      return { value: read(chunk, key), writable: false, enumerable: true, configurable: true };
    },
  });
}
`;

/** Names a plain CommonJS module assigns to `exports`, or null when it re-exports others. */
function exportedNames(file) {
  const source = readFileSync(file, 'utf8');
  if (/__exportStar|_export_star|module\.exports\s*=/.test(source)) return null;
  const names = new Set();
  for (const m of source.matchAll(/\bexports\.([A-Za-z_$][\w$]*)\s*=/g)) names.add(m[1]);
  for (const m of source.matchAll(/Object\.defineProperty\(exports,\s*"([^"]+)"/g)) names.add(m[1]);
  names.delete('__esModule');
  return names.size > 0 ? [...names] : null;
}

module.exports = {
  getCacheKey(source, file, options) {
    return createHash('sha256')
      .update(self)
      .update(file)
      .update(source)
      .update(packageJsonOf(file))
      .update(options.configString)
      .digest('hex');
  },
  process(source, file) {
    let changed = false;
    let icons = false;
    // @fluentui/react-components: `const _reactbutton = require("@fluentui/react-button");`,
    // read only through getters (`return _reactbutton.Button;`).
    let code = source.replace(
      /^const (_[A-Za-z0-9_$]+) = (require\("[^"]+"\));$/gm,
      (_, id, req) => {
        changed = true;
        return `const ${id} = __lazyModule(() => ${req});`;
      },
    );
    // @fluentui/react-icons: `tslib_1.__exportStar(require("./icons/chunk-0.cjs"), exports);`
    code = code.replace(
      /^tslib_1\.__exportStar\(require\(("\.[^"]+")\), exports\);$/gm,
      (line, spec) => {
        const names = exportedNames(path.resolve(path.dirname(file), JSON.parse(spec)));
        if (!names) return line;
        icons = true;
        return `__lazyChunk(() => require(${spec}), ${JSON.stringify(names.join(','))});`;
      },
    );
    if (icons) code += '\nmodule.exports = __lazyExports(exports);';
    return { code: changed || icons ? `${code}\n${helpers}` : source };
  },
};
