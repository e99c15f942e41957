import {
  LINK_CODE_PATTERN,
  base64Url,
  generateLinkCode,
  isLinkCodeShape,
  type RandomSource,
} from '@shared';
import { randomBytes, randomUUID } from 'node:crypto';

const fixedRandom = (bytes: number[]): RandomSource => ({
  bytes: (n) => new Uint8Array(bytes.slice(0, n)),
  uuid: () => '00000000-0000-4000-8000-000000000000',
});

const cryptoRandom: RandomSource = {
  bytes: (n) => new Uint8Array(randomBytes(n)),
  uuid: randomUUID,
};

describe('link codes', () => {
  it('encodes base64url exactly like Node does', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = randomBytes(length);
      expect(base64Url(new Uint8Array(bytes))).toBe(bytes.toString('base64url'));
    }
  });

  it('makes 22 URL-safe characters from 16 random bytes (128 bits)', () => {
    const code = generateLinkCode(fixedRandom([...Array(16).keys()].map((i) => i * 17)));
    expect(code).toHaveLength(22);
    expect(code).toMatch(LINK_CODE_PATTERN);
    expect(code).toBe(Buffer.from([...Array(16).keys()].map((i) => i * 17)).toString('base64url'));
  });

  it('never ends a code with a character an SMS app might cut off', () => {
    const last = new Set<string>();
    for (let i = 0; i < 2000; i++) last.add(generateLinkCode(cryptoRandom).slice(-1));
    expect([...last].sort()).toEqual(['A', 'Q', 'g', 'w']);
  });

  it('does not repeat codes', () => {
    const codes = new Set(Array.from({ length: 5000 }, () => generateLinkCode(cryptoRandom)));
    expect(codes.size).toBe(5000);
  });

  it('refuses a random source that returns too few bytes', () => {
    expect(() => generateLinkCode(fixedRandom([1, 2, 3]))).toThrow('wrong length');
  });

  it.each([
    ['', false],
    ['short', false],
    ['AAAAAAAAAAAAAAAAAAAAAB', false],
    ['AAAAAAAAAAAAAAAAAAAAAQ', true],
    ['abc/efghijklmnopqrstuA', false],
    ['AAAAAAAAAAAAAAAAAAAAAAA', false],
  ])('recognises %j as a code shape: %s', (code, ok) => {
    expect(isLinkCodeShape(code)).toBe(ok);
  });
});
