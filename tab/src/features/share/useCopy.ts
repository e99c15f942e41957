import { useCallback, useState } from 'react';
import { copyText, type CopyDeps } from './copy';

/** The feedback after a copy: confirmation, or the text to copy by hand. */
export type CopyFeedback<T extends string> =
  | { readonly status: 'idle' }
  | { readonly status: 'copied'; readonly target: T }
  | { readonly status: 'manual'; readonly target: T; readonly text: string };

/** Copies through the fallback chain and remembers what to tell the user. */
export function useCopy<T extends string>(deps: CopyDeps) {
  const [feedback, setFeedback] = useState<CopyFeedback<T>>({ status: 'idle' });
  const copy = useCallback(
    async (target: T, text: string) => {
      const outcome = await copyText(text, deps);
      setFeedback(
        outcome === 'manual' ? { status: 'manual', target, text } : { status: 'copied', target },
      );
    },
    [deps],
  );
  const reset = useCallback(() => setFeedback({ status: 'idle' }), []);
  return { feedback, copy, reset };
}
