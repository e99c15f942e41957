// Draws the Teams app icons (no image tools needed): appPackage/color.png (192×192, full colour)
// and appPackage/outline.png (32×32, white on transparent). Run: node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const BRAND = [0x46, 0x4e, 0xb8]; // indigo, close to Teams' own accent
const WHITE = [0xff, 0xff, 0xff];

/** The glyph, in unit coordinates: a video camera with a "1" badge (one call, once). */
function inGlyph(x, y) {
  return inRoundedRect(x, y, 0.16, 0.32, 0.62, 0.7, 0.07) || inPolygon(x, y, LENS);
}
const LENS = [
  [0.66, 0.47],
  [0.86, 0.35],
  [0.86, 0.67],
  [0.66, 0.55],
];
/** The "1" cut out of the camera body. */
function inCutout(x, y) {
  return (
    inRoundedRect(x, y, 0.37, 0.4, 0.43, 0.62, 0.01) ||
    inPolygon(x, y, [
      [0.43, 0.4],
      [0.43, 0.46],
      [0.31, 0.49],
      [0.31, 0.45],
    ])
  );
}

function inRoundedRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inPolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** RGBA pixels; 4×4 supersampling for smooth edges. */
function render(size, background, glyphColor, withCutout) {
  const pixels = Buffer.alloc(size * size * 4);
  const s = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      for (let sy = 0; sy < s; sy++) {
        for (let sx = 0; sx < s; sx++) {
          const x = (px + (sx + 0.5) / s) / size;
          const y = (py + (sy + 0.5) / s) / size;
          if (inGlyph(x, y) && !(withCutout && inCutout(x, y))) cover++;
        }
      }
      const a = cover / (s * s);
      const o = (py * size + px) * 4;
      if (background) {
        for (let c = 0; c < 3; c++)
          pixels[o + c] = Math.round(background[c] * (1 - a) + glyphColor[c] * a);
        pixels[o + 3] = 255;
      } else {
        for (let c = 0; c < 3; c++) pixels[o + c] = glyphColor[c];
        pixels[o + 3] = Math.round(255 * a);
      }
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++)
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(`${root}appPackage/color.png`, png(192, render(192, BRAND, WHITE, true)));
writeFileSync(`${root}appPackage/outline.png`, png(32, render(32, undefined, WHITE, false)));
console.log('wrote appPackage/color.png (192×192) and appPackage/outline.png (32×32)');
