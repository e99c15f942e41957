import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Hasher, RandomSource } from '@shared';

/** The wall clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** Node's CSPRNG. */
export class CryptoRandomSource implements RandomSource {
  bytes(length: number): Uint8Array {
    return new Uint8Array(randomBytes(length));
  }
  uuid(): string {
    return randomUUID();
  }
}

/** SHA-256 with node:crypto. */
export class NodeHasher implements Hasher {
  sha256Hex(input: string): string {
    return createHash('sha256').update(input, 'utf8').digest('hex');
  }
}
