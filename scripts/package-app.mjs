// Builds the Teams app package for one environment, offline:
//   node scripts/package-app.mjs --env dev|local [--out appPackage/build]
// 1. reads env/.env.<env> and env/.env.<env>.user (process environment variables win),
// 2. fills every ${{VAR}} in appPackage/manifest.json and the language files (a missing one is an error),
// 3. validates them against the vendored JSON schemas in appPackage/schemas (manifest 1.22),
// 4. checks the icons (color 192×192; outline 32×32, white on transparent),
// 5. writes appPackage/build/manifest.<env>.json and appPackage/build/appPackage.<env>.zip.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateSync } from 'node:zlib';
import Ajv from 'ajv-draft-04';

const root = fileURLToPath(new URL('..', import.meta.url));
const appDir = path.join(root, 'appPackage');

function parseArgs(argv) {
  const args = { env: 'dev', out: path.join(appDir, 'build') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--env') args.env = argv[++i];
    else if (argv[i] === '--out') args.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!/^[a-z0-9-]+$/.test(args.env ?? ''))
    throw new Error('--env must name an env/.env.<env> file');
  return args;
}

/** KEY=VALUE lines; `#` comments; optional quotes. */
export function readEnvFile(file) {
  if (!existsSync(file)) return {};
  const vars = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    vars[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return vars;
}

/** Replaces ${{VAR}}; collects the names that have no value. */
export function substitute(text, vars, missing) {
  return text.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name) => {
    const value = vars[name];
    if (value === undefined || (value === '' && name !== 'APP_NAME_SUFFIX')) {
      missing.add(name);
      return '';
    }
    return value;
  });
}

export function makeValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }); // the official schema has patterns that are invalid in unicode mode;
  ajv.addFormat('uri', (s) => {
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  });
  const load = (name) => JSON.parse(readFileSync(path.join(appDir, 'schemas', name), 'utf8'));
  const manifest = ajv.compile(load('MicrosoftTeams.v1.22.schema.json'));
  const localization = ajv.compile(load('MicrosoftTeams.Localization.v1.22.schema.json'));
  const explain = (validate) =>
    (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );
  return {
    manifest: (json) => (manifest(json) ? [] : explain(manifest)),
    localization: (json) => (localization(json) ? [] : explain(localization)),
  };
}

/** Width, height and pixels (RGBA) of an 8-bit RGBA or RGB PNG, unfiltered. */
export function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  let depth = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      colorType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (depth !== 8 || channels === 0 || !width)
    return { width, height, colorType, pixels: undefined };
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? out[y * stride + x - channels] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter];
      out[y * stride + x] = (v + pred) & 0xff;
    }
  }
  return { width, height, colorType, channels, pixels: out };
}

export function checkIcons(dir) {
  const problems = [];
  const color = decodePng(readFileSync(path.join(dir, 'color.png')));
  if (color.width !== 192 || color.height !== 192)
    problems.push(`color.png is ${color.width}×${color.height}, must be 192×192`);
  const outline = decodePng(readFileSync(path.join(dir, 'outline.png')));
  if (outline.width !== 32 || outline.height !== 32)
    problems.push(`outline.png is ${outline.width}×${outline.height}, must be 32×32`);
  if (outline.colorType !== 6 || !outline.pixels) {
    problems.push('outline.png must be an 8-bit RGBA PNG (white on transparent)');
  } else {
    let transparent = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a === 0) transparent++;
      else if (r !== 255 || g !== 255 || b !== 255) {
        problems.push('outline.png may only contain white (with any transparency)');
        break;
      }
    }
    if (transparent === 0) problems.push('outline.png needs a transparent background');
  }
  return problems;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A plain zip (deflate, no extras), entries at the root as Teams wants them. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    // DOS date 1980-01-01 00:00: fixed, so the same inputs give the same zip.
    const header = (sig, central) => {
      const h = Buffer.alloc(central ? 46 : 30);
      h.writeUInt32LE(sig, 0);
      let p = 4;
      if (central) (h.writeUInt16LE(20, p), (p += 2));
      h.writeUInt16LE(20, p); // version needed
      h.writeUInt16LE(0x0800, p + 2); // UTF-8 names
      h.writeUInt16LE(8, p + 4); // deflate
      h.writeUInt16LE(0, p + 6);
      h.writeUInt16LE(0x21, p + 8);
      h.writeUInt32LE(crc, p + 10);
      h.writeUInt32LE(compressed.length, p + 14);
      h.writeUInt32LE(data.length, p + 18);
      h.writeUInt16LE(nameBuf.length, p + 22);
      if (central) h.writeUInt32LE(offset, 42);
      return h;
    };
    const local = Buffer.concat([header(0x04034b50, false), nameBuf, compressed]);
    centrals.push(Buffer.concat([header(0x02014b50, true), nameBuf]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const vars = {
    ...readEnvFile(path.join(root, 'env', `.env.${args.env}`)),
    ...readEnvFile(path.join(root, 'env', `.env.${args.env}.user`)),
  };
  for (const [key, value] of Object.entries(process.env))
    if (/^[A-Z][A-Z0-9_]*$/.test(key) && value) vars[key] = value;

  const missing = new Set();
  const manifestText = substitute(
    readFileSync(path.join(appDir, 'manifest.json'), 'utf8'),
    vars,
    missing,
  );
  const manifest = JSON.parse(manifestText);
  const languageFiles = (manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file);
  const languages = languageFiles.map((file) => ({
    file,
    text: substitute(readFileSync(path.join(appDir, file), 'utf8'), vars, missing),
  }));
  if (missing.size > 0) {
    throw new Error(
      `no value for ${[...missing].join(', ')} (set them in env/.env.${args.env} or run provision first)`,
    );
  }

  const validate = makeValidator();
  const problems = [
    ...validate.manifest(manifest).map((p) => `manifest.json ${p}`),
    ...languages.flatMap((l) =>
      validate.localization(JSON.parse(l.text)).map((p) => `${l.file} ${p}`),
    ),
    ...checkIcons(appDir),
  ];
  if (problems.length > 0)
    throw new Error(`the app package is invalid:\n  - ${problems.join('\n  - ')}`);

  mkdirSync(args.out, { recursive: true });
  writeFileSync(path.join(args.out, `manifest.${args.env}.json`), manifestText);
  const zipFile = path.join(args.out, `appPackage.${args.env}.zip`);
  writeFileSync(
    zipFile,
    zip([
      { name: 'manifest.json', data: Buffer.from(manifestText) },
      { name: manifest.icons.color, data: readFileSync(path.join(appDir, manifest.icons.color)) },
      {
        name: manifest.icons.outline,
        data: readFileSync(path.join(appDir, manifest.icons.outline)),
      },
      ...languages.map((l) => ({ name: l.file, data: Buffer.from(l.text) })),
    ]),
  );
  console.log(`wrote ${path.relative(root, zipFile)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error(`package-app: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
