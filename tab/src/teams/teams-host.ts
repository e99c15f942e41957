/** The Teams theme names; outside Teams the tab picks one from the browser. */
export type HostTheme = 'default' | 'dark' | 'contrast';

/** Where the tab runs: the tab's content, the channel tab's configuration page, or something else. */
export type HostFrameContext = 'content' | 'settings' | 'remove' | 'other';

/** The team a channel tab is pinned in. */
export type HostTeam = {
  readonly id: string;
  readonly name: string;
  readonly channelId?: string | undefined;
};

/** What the host tells the tab about where it runs. Every field is `undefined` outside Teams. */
export type HostContext = {
  readonly theme: HostTheme | undefined;
  /** BCP 47 tag, e.g. `de-de`. */
  readonly locale: string | undefined;
  readonly team: HostTeam | undefined;
  readonly frameContext: HostFrameContext;
};

/** What a channel tab's configuration page saves. */
export type ChannelTabSettings = {
  readonly entityId: string;
  readonly contentUrl: string;
  readonly websiteUrl?: string | undefined;
  readonly suggestedDisplayName?: string | undefined;
};

/**
 * Everything the tab needs from Microsoft Teams. `teams` when `app.initialize()` succeeded in time;
 * `standalone` in a plain browser (embedded mode), where every Teams-only call is a no-op or rejects.
 */
export interface TeamsHost {
  readonly mode: 'teams' | 'standalone';
  getContext(): Promise<HostContext>;
  /** Calls `handler` when the Teams theme changes. Returns the unsubscribe function. */
  onThemeChange(handler: (theme: HostTheme) => void): () => void;
  /** The SSO token for our API, or `undefined` outside Teams. Rejects when Teams refuses it. */
  getAuthToken(): Promise<string | undefined>;
  /**
   * Writes text through the Teams clipboard capability. Rejects outside Teams or when the host does
   * not support it; callers try `navigator.clipboard` first (see features/share/copy.ts).
   */
  copy(text: string): Promise<void>;
  /** Opens a link: a Teams deep link inside Teams, a new browser tab outside. */
  openLink(url: string): Promise<void>;
  /** The channel tab's configuration page (frame context `settings`). */
  readonly config: {
    /** Runs `save` when the user presses Save; a rejection shows Teams' failure message. */
    registerOnSaveHandler(save: () => Promise<ChannelTabSettings>): void;
    setValidityState(valid: boolean): void;
  };
}

/** The host outside Teams: a plain browser tab. */
export function createStandaloneHost(win: Window = window): TeamsHost {
  return {
    mode: 'standalone',
    getContext: () =>
      Promise.resolve({
        theme: undefined,
        locale: undefined,
        team: undefined,
        frameContext: 'content',
      }),
    onThemeChange: () => () => undefined,
    getAuthToken: () => Promise.resolve(undefined),
    copy: () => Promise.reject(new Error('The Teams clipboard is only available inside Teams')),
    openLink: (url) => {
      win.open(url, '_blank', 'noopener,noreferrer');
      return Promise.resolve();
    },
    config: {
      registerOnSaveHandler: () => undefined,
      setValidityState: () => undefined,
    },
  };
}
