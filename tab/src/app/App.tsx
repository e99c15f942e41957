import { FluentProvider, makeStyles } from '@fluentui/react-components';
import type { Locale, TeamRef } from '@shared';
import { useEffect, useMemo, useState } from 'react';
import { ChannelConfig } from '../features/channel-config';
import { TabHome } from '../features/home';
import type { HostContext, HostTheme } from '../teams';
import { ErrorBoundary } from './ErrorBoundary';
import { I18nProvider, createI18n, pickFormatLocale, pickLocale } from './i18n';
import { ServicesProvider, type AppServices } from './services';
import { THEMES, themeOverride } from './theme';

// Fluent copies the provider's classes to portal mount nodes (tooltips, chart callouts): a full
// viewport height there would cover the page with a blank layer.
const useStyles = makeStyles({ provider: { ':not([data-portal-node])': { minHeight: '100vh' } } });

/** The agent's language choice in the tab (`en` / `de`), kept in `preferences`. */
export const LANGUAGE_KEY = 'one-time-call.language.v1';

/** Facts about the page and browser, passed in so tests and main.tsx decide them. */
export type AppEnvironment = {
  readonly pathname: string;
  readonly search: string;
  readonly origin: string;
  readonly language: string | undefined;
  readonly timeZone: string | undefined;
  readonly matchMedia: ((query: string) => MediaQueryList) | undefined;
};

export type AppProps = {
  readonly services: AppServices;
  readonly context: HostContext;
  readonly env: AppEnvironment;
};

function browserTheme(matchMedia: AppEnvironment['matchMedia']): HostTheme {
  if (!matchMedia) return 'default';
  if (matchMedia('(forced-colors: active)').matches) return 'contrast';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default';
}

function teamFromQuery(search: URLSearchParams): TeamRef | undefined {
  const id = search.get('teamId');
  if (!id) return undefined;
  return {
    id,
    name: search.get('teamName') ?? id,
    channelId: search.get('channelId') ?? undefined,
  };
}

/** The tab: theme and language from Teams (or the browser), then the page for this URL. */
export function App({ services, context, env }: AppProps) {
  const styles = useStyles();
  const search = useMemo(() => new URLSearchParams(env.search), [env.search]);
  const override = themeOverride(search);
  const [theme, setTheme] = useState<HostTheme>(
    () => override ?? context.theme ?? browserTheme(env.matchMedia),
  );
  const { preferences } = services;
  const [chosen, setChosen] = useState(() => preferences?.getItem(LANGUAGE_KEY) ?? undefined);
  // The agent's own choice in the tab wins over ?lang=, Teams and the browser.
  const locale = pickLocale(chosen, search.get('lang'), context.locale, env.language);
  const formatLocale = pickFormatLocale(locale, context.locale, env.language);
  const i18n = useMemo(() => createI18n(locale, formatLocale), [locale, formatLocale]);
  const chooseLocale = (next: Locale) => {
    setChosen(next);
    preferences?.setItem(LANGUAGE_KEY, next);
  };
  const team = context.team ?? teamFromQuery(search);
  const [agentId, setAgentId] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (override) return undefined;
    if (services.host.mode === 'teams') return services.host.onThemeChange(setTheme);
    const media = env.matchMedia;
    if (!media) return undefined;
    const queries = ['(prefers-color-scheme: dark)', '(forced-colors: active)'].map((q) =>
      media(q),
    );
    const update = () => setTheme(browserTheme(media));
    queries.forEach((q) => q.addEventListener('change', update));
    return () => queries.forEach((q) => q.removeEventListener('change', update));
  }, [override, services.host, env.matchMedia]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = i18n.t('appTitle');
  }, [locale, i18n]);

  useEffect(() => {
    let current = true;
    // Only used to tell the agent's own calls from colleagues'; the list works without it.
    services.api.me().then(
      (me) => current && setAgentId(me.agent.id),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [services.api]);

  const settings =
    env.pathname.replace(/\/+$/, '') === '/config' || context.frameContext === 'settings';

  return (
    <FluentProvider theme={THEMES[theme]} className={styles.provider} data-theme={theme}>
      <I18nProvider locale={locale} formatLocale={formatLocale}>
        <ErrorBoundary t={i18n.t}>
          <ServicesProvider services={services}>
            {settings ? (
              <ChannelConfig host={services.host} team={team} origin={env.origin} />
            ) : (
              <TabHome
                team={team}
                agentId={agentId}
                defaultCustomerLocale={locale}
                timeZone={env.timeZone}
                onLocaleChange={chooseLocale}
              />
            )}
          </ServicesProvider>
        </ErrorBoundary>
      </I18nProvider>
    </FluentProvider>
  );
}
