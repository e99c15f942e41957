import type { app as teamsApp } from '@microsoft/teams-js';
import {
  createStandaloneHost,
  type HostContext,
  type HostFrameContext,
  type HostTheme,
  type TeamsHost,
} from './teams-host';

const asTheme = (theme: string | undefined): HostTheme | undefined =>
  theme === 'dark' || theme === 'contrast' || theme === 'default' ? theme : undefined;

const asFrameContext = (frame: string | undefined): HostFrameContext =>
  frame === 'content' || frame === 'settings' || frame === 'remove' ? frame : 'other';

function toHostContext(ctx: teamsApp.Context): HostContext {
  const teamId = ctx.team?.groupId ?? ctx.team?.internalId;
  return {
    theme: asTheme(ctx.app.theme),
    locale: ctx.app.locale,
    team:
      teamId !== undefined
        ? { id: teamId, name: ctx.team?.displayName ?? teamId, channelId: ctx.channel?.id }
        : undefined,
    frameContext: asFrameContext(ctx.page.frameContext),
  };
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`Teams did not answer within ${ms} ms`)), ms),
  );
}

/**
 * Connects to Teams, or falls back to the standalone host. A top-level window is never inside Teams,
 * so teams-js is not even loaded there (it is a separate chunk): the plain-browser tab starts at once.
 */
export async function connectTeamsHost(options: {
  readonly timeoutMs: number;
}): Promise<TeamsHost> {
  if (window.self === window.top) return createStandaloneHost();
  try {
    const teams = await import('@microsoft/teams-js');
    // SDK initialization never settles in some hosts (microsoft-teams-library-js#719); race it.
    await Promise.race([teams.app.initialize(), timeout(options.timeoutMs)]);
    const { app, authentication, clipboard, pages } = teams;
    return {
      mode: 'teams',
      getContext: async () => toHostContext(await app.getContext()),
      onThemeChange: (handler) => {
        let active = true;
        app.registerOnThemeChangeHandler((theme) => {
          const known = asTheme(theme);
          if (active && known) handler(known);
        });
        return () => {
          active = false;
        };
      },
      getAuthToken: () => authentication.getAuthToken(),
      copy: async (text) => {
        if (!clipboard.isSupported()) throw new Error('The Teams clipboard is not supported here');
        await clipboard.write(new Blob([text], { type: 'text/plain' }));
      },
      openLink: (url) => app.openLink(url),
      config: {
        registerOnSaveHandler: (save) => {
          pages.config.registerOnSaveHandler((event) => {
            save()
              .then((settings) => pages.config.setConfig(settings))
              .then(() => event.notifySuccess())
              .catch(() => event.notifyFailure());
          });
        },
        setValidityState: (valid) => pages.config.setValidityState(valid),
      },
    };
  } catch {
    // Not hosted by Teams (a plain iframe, or Teams did not answer): run as a standalone page.
    return createStandaloneHost();
  }
}
