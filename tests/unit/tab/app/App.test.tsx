import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App, type AppEnvironment } from '../../../../tab/src/app/App';
import { createI18n, pickFormatLocale } from '../../../../tab/src/app/i18n';
import type { HostContext } from '../../../../tab/src/teams';
import { FakeTeamsHost } from '../fakes/fake-host';
import { fakeServices } from '../fakes/fake-services';

const context = (overrides: Partial<HostContext> = {}): HostContext => ({
  theme: 'default',
  locale: 'en-us',
  team: undefined,
  frameContext: 'content',
  ...overrides,
});

const env = (overrides: Partial<AppEnvironment> = {}): AppEnvironment => ({
  pathname: '/',
  search: '',
  origin: 'https://calls.example.com',
  language: 'en-US',
  timeZone: 'Europe/Berlin',
  matchMedia: undefined,
  ...overrides,
});

function renderApp(ctx: HostContext, environment: AppEnvironment = env()) {
  const host = new FakeTeamsHost(ctx);
  const setup = fakeServices({ host });
  render(<App services={setup.services} context={ctx} env={environment} />);
  return { host, ...setup };
}

const themeOfPage = () => document.querySelector('[data-theme]')?.getAttribute('data-theme');

describe('App', () => {
  it('follows the Teams theme and its changes', async () => {
    const { host } = renderApp(context({ theme: 'dark' }));
    await screen.findByRole('heading', { name: 'New call link' });
    expect(themeOfPage()).toBe('dark');

    act(() => host.changeTheme('contrast'));

    expect(themeOfPage()).toBe('contrast');
  });

  it('lets ?theme= override the theme for screenshots', async () => {
    renderApp(context({ theme: 'default' }), env({ search: '?theme=dark' }));
    await screen.findByRole('heading', { name: 'New call link' });
    expect(themeOfPage()).toBe('dark');
  });

  it('speaks German when Teams runs in German', async () => {
    renderApp(context({ locale: 'de-de' }));

    expect(await screen.findByRole('heading', { name: 'Neuer Anruf-Link' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('de');
  });

  it('lets ?lang= override the language', async () => {
    renderApp(context({ locale: 'de-de' }), env({ search: '?lang=en' }));
    expect(await screen.findByRole('heading', { name: 'New call link' })).toBeInTheDocument();
  });

  it('shows the team queue when the tab URL names a team', async () => {
    const { api } = renderApp(
      context(),
      env({ pathname: '/tab', search: '?teamId=t1&teamName=Support' }),
    );

    expect(await screen.findByRole('heading', { name: 'Calls of Support' })).toBeInTheDocument();
    expect(api.requests).toContain('list team t1');
  });

  it('remembers the language the agent picks in the tab, over Teams and ?lang=', async () => {
    const first = renderApp(context({ locale: 'en-us' }), env({ search: '?lang=en' }));
    await screen.findByRole('heading', { name: 'New call link' });

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'de');

    expect(await screen.findByRole('heading', { name: 'Neuer Anruf-Link' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('de');
    cleanup();
    const host = new FakeTeamsHost(context({ locale: 'en-us' }));
    render(
      <App
        services={{ ...first.services, host }}
        context={context({ locale: 'en-us' })}
        env={env({ search: '?lang=en' })}
      />,
    );
    expect(await screen.findByRole('heading', { name: 'Neuer Anruf-Link' })).toBeInTheDocument();
  });

  it("formats dates in the agent's own region, 24-hour in en-GB", () => {
    const i18n = createI18n('en', pickFormatLocale('en', 'en-gb', 'de-DE'));
    expect(i18n.formatLocale).toBe('en-GB');
    expect(i18n.formatDateTime('2026-11-25T15:30:00Z')).toMatch(/25 Nov 2026, \d\d:30/);
    // A browser in another language does not decide the region; the customer pages' default does.
    expect(pickFormatLocale('en', 'de-DE')).toBe('en-GB');
    expect(pickFormatLocale('de', 'de-AT')).toBe('de-AT');
  });

  describe('channel tab configuration page', () => {
    it('enables Save and saves a content URL that carries the team', async () => {
      const team = { id: 'group-1', name: 'Support', channelId: '19:abc@thread.tacv2' };
      const { host } = renderApp(
        context({ frameContext: 'settings', team }),
        env({ pathname: '/config' }),
      );

      expect(await screen.findByRole('heading', { name: 'Team call queue' })).toBeInTheDocument();
      expect(host.validity).toBe(true);
      const saved = await host.pressSave();
      expect(saved).toEqual({
        entityId: 'call-queue-group-1',
        contentUrl:
          'https://calls.example.com/tab?teamId=group-1&teamName=Support&channelId=19%3Aabc%40thread.tacv2',
        websiteUrl:
          'https://calls.example.com/tab?teamId=group-1&teamName=Support&channelId=19%3Aabc%40thread.tacv2',
        suggestedDisplayName: 'Call queue',
      });
    });

    it('keeps Save disabled outside a team', async () => {
      const { host } = renderApp(
        context({ frameContext: 'settings' }),
        env({ pathname: '/config' }),
      );

      expect(
        await screen.findByText('Add this tab to a team channel to share a queue of calls.'),
      ).toBeInTheDocument();
      expect(host.validity).toBe(false);
    });
  });
});
