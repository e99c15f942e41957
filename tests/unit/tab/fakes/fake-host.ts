import type {
  ChannelTabSettings,
  HostContext,
  HostTheme,
  TeamsHost,
} from '../../../../tab/src/teams';

/** A Teams host the test drives: theme changes, the config page's Save. */
export class FakeTeamsHost implements TeamsHost {
  readonly mode = 'teams' as const;
  validity: boolean | undefined;
  private save: (() => Promise<ChannelTabSettings>) | undefined;
  private themeHandler: ((theme: HostTheme) => void) | undefined;

  constructor(readonly context: HostContext) {}

  getContext(): Promise<HostContext> {
    return Promise.resolve(this.context);
  }
  onThemeChange(handler: (theme: HostTheme) => void): () => void {
    this.themeHandler = handler;
    return () => {
      this.themeHandler = undefined;
    };
  }
  getAuthToken(): Promise<string | undefined> {
    return Promise.resolve('sso-token');
  }
  copy(): Promise<void> {
    return Promise.resolve();
  }
  /** Links opened through teams-js (`app.openLink`), in order. */
  readonly opened: string[] = [];
  openLink(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }
  readonly config = {
    registerOnSaveHandler: (save: () => Promise<ChannelTabSettings>) => {
      this.save = save;
    },
    setValidityState: (valid: boolean) => {
      this.validity = valid;
    },
  };

  changeTheme(theme: HostTheme): void {
    this.themeHandler?.(theme);
  }
  pressSave(): Promise<ChannelTabSettings> | undefined {
    return this.save?.();
  }
}
