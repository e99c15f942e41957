import { ShareTextsSchema, type ShareTexts } from '@shared';
import { z } from 'zod';

const KEY = 'one-time-call.links.v1';
const MAX_ENTRIES = 100;

const StoredSchema = z.record(
  z.string(),
  z.object({ texts: ShareTextsSchema, title: z.string(), savedAt: z.string() }),
);
type Stored = z.infer<typeof StoredSchema>;

/** What this device remembers about a link it created. */
export type SavedLink = { readonly texts: ShareTexts; readonly title: string };

/**
 * Links made on this device, by call id. The server keeps only the link code's hash, so "copy
 * again" is possible only where the link was created; elsewhere the tab offers a new link.
 */
export type LinkStore = {
  get(callId: string): SavedLink | undefined;
  save(callId: string, link: SavedLink): void;
  forget(callId: string): void;
};

export function createLinkStore(
  storage: Storage | undefined,
  now: () => Date = () => new Date(),
): LinkStore {
  const read = (): Stored => {
    try {
      const parsed = StoredSchema.safeParse(JSON.parse(storage?.getItem(KEY) ?? '{}'));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  };
  const write = (stored: Stored) => {
    try {
      storage?.setItem(KEY, JSON.stringify(stored));
    } catch {
      // Storage full or disabled (private mode): copy again is then unavailable, nothing breaks.
    }
  };
  return {
    get: (callId) => {
      const entry = read()[callId];
      return entry ? { texts: entry.texts, title: entry.title } : undefined;
    },
    save: (callId, link) => {
      const stored = read();
      stored[callId] = { ...link, savedAt: now().toISOString() };
      const newest = Object.entries(stored)
        .sort(([, a], [, b]) => b.savedAt.localeCompare(a.savedAt))
        .slice(0, MAX_ENTRIES);
      write(Object.fromEntries(newest));
    },
    forget: (callId) => {
      const stored = read();
      delete stored[callId];
      write(stored);
    },
  };
}
