import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../../../tab/src/api';
import { BotStatusNotice, type BotNotices } from '../../../../../tab/src/features/bot-status';
import { TabHome } from '../../../../../tab/src/features/home';
import { aDeliveryFailure, aMe } from '../../builders';
import { fakeServices } from '../../fakes/fake-services';
import { renderInTab } from '../../render';

const UNREACHABLE_TITLE = 'Teams cannot tell you when a customer waits';
const FIX =
  'Open the One-Time Call chat in Teams once (Apps → One-Time Call → Chat) — after that you get a card as soon as a customer waits.';

function renderHome(setup = fakeServices(), team?: { id: string; name: string }) {
  const view = renderInTab(
    <TabHome team={team} agentId="agent-1" defaultCustomerLocale="en" timeZone="Europe/Berlin" />,
    { services: setup.services },
  );
  return { ...setup, view, user: userEvent.setup({ delay: null }) };
}

/** Waits until the page is up and `/api/me` has answered (or failed). */
async function settled(api: { meRequests: number }, requests = 1) {
  await screen.findByText('No active calls. Create a link to start.');
  await waitFor(() => expect(api.meRequests).toBe(requests));
  await act(() => Promise.resolve());
}

describe('BotStatusNotice in the tab', () => {
  it('explains how to fix a bot that has no chat with the agent', async () => {
    const setup = fakeServices();
    setup.api.meAnswer = aMe({ botReachable: false });
    const { user } = renderHome(setup);

    const notice = await screen.findByRole('group', { name: UNREACHABLE_TITLE });
    expect(notice).not.toHaveTextContent(FIX);
    await user.click(within(notice).getByRole('button', { name: 'Details' }));

    expect(notice).toHaveTextContent(FIX);
    expect(notice).toHaveTextContent('“customer is waiting — Admit / Decline” cards');
  });

  it('shows the notice in a channel tab too', async () => {
    const setup = fakeServices();
    setup.api.meAnswer = aMe({ botReachable: false });
    renderHome(setup, { id: 'team-1', name: 'Support' });

    expect(await screen.findByRole('group', { name: UNREACHABLE_TITLE })).toBeInTheDocument();
  });

  it('points to the Agents Playground outside Teams and says the list is live anyway', async () => {
    const setup = fakeServices();
    setup.api.meAnswer = aMe({ mode: 'embedded', botReachable: false });
    const { user } = renderHome(setup);

    const notice = await screen.findByRole('group', { name: 'Waiting cards only show in Teams' });
    await user.click(within(notice).getByRole('button', { name: 'Details' }));

    expect(notice).toHaveTextContent('Microsoft 365 Agents Playground (npm run playground)');
    expect(notice).toHaveTextContent('The list here is live anyway.');
    expect(screen.queryByRole('group', { name: UNREACHABLE_TITLE })).not.toBeInTheDocument();
  });

  it('shows nothing when the bot can reach the agent and nothing failed', async () => {
    const { api } = renderHome();
    await settled(api);

    expect(screen.queryByRole('group', { name: UNREACHABLE_TITLE })).not.toBeInTheDocument();
    expect(screen.queryByRole('group', { name: /could not be delivered/ })).not.toBeInTheDocument();
  });

  it('counts undelivered notifications and explains each reason once', async () => {
    const setup = fakeServices();
    setup.api.meAnswer = aMe({
      deliveryFailures: [
        aDeliveryFailure({ callId: 'c3', reason: 'http-403', at: '2026-11-25T09:07:00.000Z' }),
        aDeliveryFailure({ callId: 'c2', reason: 'http-403', at: '2026-11-25T09:06:00.000Z' }),
        aDeliveryFailure({ callId: 'c1', reason: 'http-502', at: '2026-11-25T09:05:00.000Z' }),
      ],
    });
    const { user } = renderHome(setup);

    const notice = await screen.findByRole('group', {
      name: '3 notifications could not be delivered',
    });
    await user.click(within(notice).getByRole('button', { name: 'Details' }));

    const reasons = within(notice).getAllByRole('listitem');
    expect(reasons.map((item) => item.textContent)).toEqual([
      'Teams refused the card: the bot was removed or blocked. Add the One-Time Call app again or unblock its chat.',
      'Teams answered with error 502.',
    ]);
    expect(notice).toHaveTextContent(/Latest: 25 Nov 2026, \d\d:\d\d\./);
  });

  it('hides the unreachable notice for the rest of the session once dismissed', async () => {
    const setup = fakeServices();
    setup.api.meAnswer = aMe({ botReachable: false });
    const { user, view } = renderHome(setup);
    const notice = await screen.findByRole('group', { name: UNREACHABLE_TITLE });

    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));

    expect(screen.queryByRole('group', { name: UNREACHABLE_TITLE })).not.toBeInTheDocument();
    view.unmount();
    setup.api.meAnswer = aMe({ botReachable: false, deliveryFailures: [aDeliveryFailure()] });
    renderHome(setup);
    await screen.findByRole('group', { name: '1 notification could not be delivered' });
    expect(screen.queryByRole('group', { name: UNREACHABLE_TITLE })).not.toBeInTheDocument();
  });

  it('hides dismissed failures after a reload of the tab but shows newer ones', async () => {
    const setup = fakeServices();
    const older = aDeliveryFailure({ callId: 'c1', at: '2026-11-25T09:05:00.000Z' });
    setup.api.meAnswer = aMe({ deliveryFailures: [older] });
    const { user, view, stream, api } = renderHome(setup);
    const notice = await screen.findByRole('group', {
      name: '1 notification could not be delivered',
    });

    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    view.unmount();
    renderHome(setup);
    await settled(api, 2);
    expect(screen.queryByRole('group', { name: /could not be delivered/ })).not.toBeInTheDocument();

    const newer = aDeliveryFailure({
      callId: 'c2',
      reason: 'http-429',
      at: '2026-11-25T09:09:00.000Z',
    });
    api.meAnswer = aMe({ deliveryFailures: [newer, older] });
    act(() => stream.reconnect());

    const again = await screen.findByRole('group', {
      name: '1 notification could not be delivered',
    });
    await user.click(within(again).getByRole('button', { name: 'Details' }));
    expect(again).toHaveTextContent('Teams slowed the bot down');
  });

  it('shows no notice and keeps the page working when /api/me fails', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const setup = fakeServices();
    setup.api.meAnswer = new ApiError('network', 'GET /api/me for Alex Agent failed', undefined);
    const { api, user } = renderHome(setup);
    await settled(api);

    expect(screen.queryByRole('group')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create link' }));
    expect(await screen.findByRole('heading', { name: /^Link ready:/ })).toBeInTheDocument();
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/Alex/);
    warn.mockRestore();
  });
});

describe('BotStatusNotice', () => {
  const none: BotNotices = { unreachable: undefined, failures: [] };
  const render = (notices: BotNotices) =>
    renderInTab(
      <BotStatusNotice notices={notices} onDismissUnreachable={noop} onDismissFailures={noop} />,
      { locale: 'de' },
    );
  const noop = () => undefined;

  it('explains every reason in German', async () => {
    render({
      ...none,
      failures: ['no-conversation', 'http-403', 'http-429', 'unreachable', 'http-500', 'odd'].map(
        (reason) => aDeliveryFailure({ reason }),
      ),
    });

    const notice = screen.getByRole('group', {
      name: '6 Benachrichtigungen konnten nicht zugestellt werden',
    });
    await userEvent.click(within(notice).getByRole('button', { name: 'Details' }));
    expect(
      within(notice)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'Der Bot hat noch keinen Chat mit Ihnen oder dem Team. Öffnen Sie einmal den One-Time-Call-Chat in Teams.',
      'Teams hat die Karte abgewiesen: Der Bot wurde entfernt oder blockiert. Fügen Sie die App One-Time Call erneut hinzu oder heben Sie die Blockierung des Chats auf.',
      'Teams hat den Bot gebremst (zu viele Nachrichten). Karten kommen in Kürze wieder an.',
      'Der Bot hat Teams nicht erreicht (Netzwerkproblem).',
      'Teams hat mit Fehler 500 geantwortet.',
      'Teams hat die Karte nicht angenommen.',
    ]);
  });

  it('tells a German agent how to open the bot chat', async () => {
    render({ ...none, unreachable: { mode: 'teams' } });
    const notice = screen.getByRole('group', {
      name: 'Teams kann Ihnen nicht melden, wenn jemand wartet',
    });

    await userEvent.click(within(notice).getByRole('button', { name: 'Details' }));

    expect(notice).toHaveTextContent('(Apps → One-Time Call → Chat)');
  });

  it('collapses both warnings into one line and dismisses them together', async () => {
    const onDismissUnreachable = jest.fn();
    const onDismissFailures = jest.fn();
    renderInTab(
      <BotStatusNotice
        notices={{ unreachable: { mode: 'teams' }, failures: [aDeliveryFailure()] }}
        onDismissUnreachable={onDismissUnreachable}
        onDismissFailures={onDismissFailures}
      />,
    );

    const notice = screen.getByRole('group', {
      name: 'Teams cannot tell you when a customer waits (and 1 more)',
    });
    expect(screen.getAllByRole('group')).toHaveLength(1);
    expect(within(notice).getByRole('button', { name: 'Details' })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    await userEvent.click(within(notice).getByRole('button', { name: 'Details' }));
    expect(notice).toHaveTextContent('1 notification could not be delivered');
    await userEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));

    expect(onDismissUnreachable).toHaveBeenCalledTimes(1);
    expect(onDismissFailures).toHaveBeenCalledTimes(1);
  });

  it('renders nothing when there is nothing to say', () => {
    render(none);

    expect(screen.queryByRole('group')).not.toBeInTheDocument();
  });
});
