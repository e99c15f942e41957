import { hash, randomFillSync, randomUUID } from 'node:crypto';
import type { Clock, Hasher, RandomSource } from '@shared';

/** The wall clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** Bytes drawn from the CSPRNG at once; each is handed out once, then the pool is refilled. */
const POOL_BYTES = 4096;

/**
 * Node's CSPRNG. Small requests (a link code, a claim token) are served from a pool filled 4 KB at
 * a time, as Node's own `randomUUID` does: one `randomBytes` call per code cost 5 µs, most of it
 * the call into the OpenSSL generator, not the bytes. Every byte is used once and copied out.
 */
export class CryptoRandomSource implements RandomSource {
  private readonly pool = Buffer.alloc(POOL_BYTES);
  private used = POOL_BYTES;

  bytes(length: number): Uint8Array {
    if (length > POOL_BYTES / 4) return new Uint8Array(randomFillSync(Buffer.alloc(length)));
    if (this.used + length > POOL_BYTES) {
      randomFillSync(this.pool);
      this.used = 0;
    }
    const out = new Uint8Array(this.pool.subarray(this.used, this.used + length));
    this.used += length;
    return out;
  }
  uuid(): string {
    return randomUUID();
  }
}

/** SHA-256 with node:crypto's one-shot `hash` (a quarter of `createHash`'s cost per call). */
export class NodeHasher implements Hasher {
  sha256Hex(input: string): string {
    return hash('sha256', input, 'hex');
  }
}
