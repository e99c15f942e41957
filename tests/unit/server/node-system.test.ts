import { createHash } from 'node:crypto';
import { CryptoRandomSource, NodeHasher } from '../../../bot/src/adapters/system/node-system';

describe('CryptoRandomSource', () => {
  it('hands out each pooled byte once, across refills, as copies', () => {
    const random = new CryptoRandomSource();
    const seen = new Set<string>();
    // 16-byte codes through three pool refills: no two alike (128 bits each).
    for (let i = 0; i < 1000; i++) {
      const bytes = random.bytes(16);
      expect(bytes).toHaveLength(16);
      seen.add(Buffer.from(bytes).toString('hex'));
    }
    expect(seen.size).toBe(1000);
    // A copy: changing it changes nothing the source hands out later.
    const a = random.bytes(32);
    const copy = Buffer.from(a);
    a.fill(0);
    expect(Buffer.from(random.bytes(32)).equals(copy)).toBe(false);
  });

  it('serves odd sizes at the end of the pool and large requests on their own', () => {
    const random = new CryptoRandomSource();
    for (let i = 0; i < 600; i++) expect(random.bytes(7)).toHaveLength(7);
    const big = random.bytes(10_000);
    expect(big).toHaveLength(10_000);
    expect(new Set(big).size).toBeGreaterThan(200); // not a zero-filled buffer
  });
});

describe('NodeHasher', () => {
  it('is SHA-256 of the UTF-8 text, in hex', () => {
    for (const text of ['', 'abc', 'Müller 東京 🙂']) {
      expect(new NodeHasher().sha256Hex(text)).toBe(
        createHash('sha256').update(text, 'utf8').digest('hex'),
      );
    }
  });
});
