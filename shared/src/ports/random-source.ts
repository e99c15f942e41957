/** Cryptographically strong randomness, injected so tests control codes and ids. */
export interface RandomSource {
  /** `length` bytes from a CSPRNG. */
  bytes(length: number): Uint8Array;
  /** A new RFC 4122 version-4 UUID. */
  uuid(): string;
}
