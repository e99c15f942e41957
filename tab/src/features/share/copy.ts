/** Which way a text reached the clipboard; `manual` means the user must press Ctrl+C. */
export type CopyOutcome = 'clipboard' | 'host' | 'legacy' | 'manual';

/** The copy mechanisms, injected so each fallback path can be tested. */
export type CopyDeps = {
  /** `navigator.clipboard`; missing on http pages and in some webviews. */
  readonly clipboard: Pick<Clipboard, 'writeText'> | undefined;
  /** The Teams clipboard capability (rejects outside Teams). */
  readonly hostCopy: (text: string) => Promise<void>;
  /** Hidden textarea + `document.execCommand('copy')`; false when the browser refused. */
  readonly legacyCopy: (text: string) => boolean;
};

/**
 * Copies text, trying each mechanism in turn. Inside the Teams iframe `navigator.clipboard` can be
 * blocked by the permission policy (pnp/sp-dev-fx-webparts discussion #4470), so it never gives up
 * silently: the last outcome, `manual`, asks the caller to show the text selected.
 */
export async function copyText(text: string, deps: CopyDeps): Promise<CopyOutcome> {
  if (deps.clipboard) {
    try {
      await deps.clipboard.writeText(text);
      return 'clipboard';
    } catch {
      // Blocked by permission policy or not focused: try the next way.
    }
  }
  try {
    await deps.hostCopy(text);
    return 'host';
  } catch {
    // Not in Teams, or the capability is missing.
  }
  try {
    if (deps.legacyCopy(text)) return 'legacy';
  } catch {
    // execCommand throws in some sandboxed frames.
  }
  return 'manual';
}

/** The last automatic way: select a hidden textarea and ask the browser to copy the selection. */
export function legacyCopy(text: string, doc: Document = document): boolean {
  if (typeof doc.execCommand !== 'function') return false;
  const previous = doc.activeElement instanceof HTMLElement ? doc.activeElement : undefined;
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '-9999px';
  area.style.opacity = '0';
  doc.body.appendChild(area);
  area.select();
  let copied: boolean;
  try {
    copied = doc.execCommand('copy');
  } finally {
    area.remove();
    previous?.focus();
  }
  return copied;
}

/** The real mechanisms of this browser and host. */
export function browserCopyDeps(hostCopy: (text: string) => Promise<void>): CopyDeps {
  return {
    clipboard: typeof navigator !== 'undefined' ? navigator.clipboard : undefined,
    hostCopy,
    legacyCopy: (text) => legacyCopy(text),
  };
}
