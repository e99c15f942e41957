import type { RandomSource } from '../ports/random-source';

/** Bytes of randomness in a link code: 128 bits. */
export const LINK_CODE_BYTES = 16;
/** A link code: 22 URL-safe base64 characters (16 bytes; the last character carries 2 bits). */
export const LINK_CODE_PATTERN = /^[A-Za-z0-9_-]{21}[AQgw]$/;

// eslint-disable-next-line no-secrets/no-secrets -- the base64url alphabet, not a secret
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Encodes bytes as base64url without padding. */
export function base64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out +=
      ALPHABET[(n >> 18) & 63]! +
      ALPHABET[(n >> 12) & 63]! +
      ALPHABET[(n >> 6) & 63]! +
      ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * A new link code from the injected CSPRNG. Never ends in `-` or `_`, which SMS apps tend to cut
 * off a link (the last character of 16 bytes only carries 2 bits: one of A, Q, g, w).
 */
export function generateLinkCode(random: RandomSource): string {
  const bytes = random.bytes(LINK_CODE_BYTES);
  if (bytes.length !== LINK_CODE_BYTES) throw new Error('RandomSource returned the wrong length');
  return base64Url(bytes);
}

/** True when `code` has the shape of a link code (cheap check before any lookup). */
export const isLinkCodeShape = (code: string): boolean => LINK_CODE_PATTERN.test(code);
