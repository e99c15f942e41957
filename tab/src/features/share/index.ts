export { SharePanel, type SharePanelProps } from './SharePanel';
export { browserCopyDeps, copyText, legacyCopy, type CopyDeps, type CopyOutcome } from './copy';
export { createLinkStore, type LinkStore, type SavedLink } from './link-store';
