/**
 * A translation of a catalogue group: exactly its keys (an object literal with a key too many or
 * too few does not compile), each a message in the same ICU subset.
 */
export type Catalogue<T> = { readonly [K in keyof T]: string };
