// The repository's own source files, for tests that scan the code for a rule (no error logged by
// its name alone, no state compared by hand, every tab text given its arguments).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root folder. */
export const ROOT = join(__dirname, '../..');

/** Every `.ts` file below `dir` (and `.tsx` with `tsx`), in directory order. */
export function sources(dir: string, { tsx = true }: { tsx?: boolean } = {}): string[] {
  const pattern = tsx ? /\.tsx?$/ : /\.ts$/;
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path, { tsx });
    return pattern.test(entry.name) ? [path] : [];
  });
}
