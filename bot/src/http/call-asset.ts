import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The URL of the customer call page's script, from the manifest the tab's build writes
 * (`<tabDir>/customer-call.json`); `undefined` when the tab is not built.
 */
export function customerCallScriptSrc(tabDir: string | undefined): string | undefined {
  if (!tabDir) return undefined;
  const manifest = path.join(tabDir, 'customer-call.json');
  if (!existsSync(manifest)) return undefined;
  try {
    const { file } = JSON.parse(readFileSync(manifest, 'utf8')) as { file?: unknown };
    return typeof file === 'string' && /^assets\/customer-call-[\w-]+\.js$/.test(file)
      ? `/${file}`
      : undefined;
  } catch {
    return undefined;
  }
}
