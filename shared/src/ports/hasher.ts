/** One-way hashing of secrets (link codes, claim tokens) before they are stored or compared. */
export interface Hasher {
  /** Lower-case hex SHA-256 of the UTF-8 bytes of `input`. */
  sha256Hex(input: string): string;
}
