import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CallDto } from '@shared';
import {
  CallList,
  type CallFilter,
  type CallListProps,
} from '../../../../../tab/src/features/calls';
import { aCall } from '../../builders';
import { renderInTab } from '../../render';

function renderList(
  calls: readonly CallDto[],
  options: {
    filter?: CallFilter;
    locale?: 'en' | 'de';
    saved?: string[];
    user?: ReturnType<typeof userEvent.setup>;
  } = {},
) {
  const handlers = {
    onAdmit: jest.fn(),
    onDecline: jest.fn(),
    onRevoke: jest.fn(),
    onEnd: jest.fn(),
    onSendNote: jest.fn(),
    onReissue: jest.fn(),
    onShowLinkAgain: jest.fn(),
    onDismissNotice: jest.fn(),
    onFilterChange: jest.fn(),
    onRetry: jest.fn(),
  };
  const props: CallListProps = {
    heading: 'My calls',
    state: { status: 'ready', calls },
    filter: options.filter ?? 'active',
    notices: {},
    showTeam: true,
    canShowLinkAgain: (id) => (options.saved ?? []).includes(id),
    ...handlers,
  };
  renderInTab(<CallList {...props} />, { locale: options.locale });
  return { ...handlers, user: options.user ?? userEvent.setup({ delay: null }) };
}

const itemOf = (name: RegExp | string) => screen.getByRole('listitem', { name });

describe('CallList', () => {
  it('says when the Teams lobby could not be opened, and what to do instead (en, de)', () => {
    const call = aCall({
      id: 'c1',
      state: 'admitted',
      meetingProvider: 'teams',
      meetingProblem: { step: 'admit', at: '2026-03-02T09:00:00.000Z' },
    });
    renderList([call]);
    expect(
      screen.getByText(/The Teams lobby could not be opened — open it in Teams/),
    ).toBeVisible();
  });

  it('shows the problem in German too', () => {
    renderList(
      [
        aCall({
          id: 'c1',
          state: 'ended',
          meetingProvider: 'teams',
          meetingProblem: { step: 'close', at: '2026-03-02T09:00:00.000Z' },
        }),
      ],
      { locale: 'de', filter: 'finished' },
    );
    expect(screen.getByText(/Die Teams-Besprechung konnte nicht beendet werden/)).toBeVisible();
  });

  it('labels each state in words', () => {
    renderList([
      aCall({ title: 'Unused', state: 'scheduled' }),
      aCall({
        title: 'Lobby',
        state: 'waiting',
        customerName: 'Anna',
        claimedAt: new Date().toISOString(),
      }),
      aCall({ title: 'Talking', state: 'in_call', customerName: 'Ben' }),
    ]);

    expect(within(itemOf(/Unused/)).getByText('Link created')).toBeInTheDocument();
    expect(within(itemOf(/Anna/)).getByText('Waiting')).toBeInTheDocument();
    expect(within(itemOf(/Ben/)).getByText('In call')).toBeInTheDocument();
  });

  it('labels states in German for a German agent', () => {
    renderList([aCall({ state: 'ended', customerName: 'Anna' })], {
      filter: 'finished',
      locale: 'de',
    });

    expect(within(itemOf(/Anna/)).getByText('Beendet')).toBeInTheDocument();
  });

  it('lists waiting customers first', () => {
    renderList([
      aCall({ title: 'Later', state: 'scheduled' }),
      aCall({
        title: 'Lobby',
        state: 'waiting',
        customerName: 'Anna',
        claimedAt: new Date().toISOString(),
      }),
    ]);

    const [first] = screen.getAllByRole('listitem');
    expect(first).toHaveAccessibleName(/Anna/);
  });

  it('admits the customer whose button was pressed', async () => {
    const anna = aCall({
      id: 'c-anna',
      state: 'waiting',
      customerName: 'Anna Schmidt',
      claimedAt: new Date().toISOString(),
    });
    const ben = aCall({
      id: 'c-ben',
      state: 'waiting',
      customerName: 'Ben Meyer',
      claimedAt: new Date().toISOString(),
    });
    const { onAdmit, user } = renderList([anna, ben]);

    await user.click(screen.getByRole('button', { name: 'Admit Ben Meyer' }));

    expect(onAdmit).toHaveBeenCalledWith('c-ben');
  });

  it('declines with the reason the agent typed', async () => {
    const anna = aCall({
      id: 'c-anna',
      state: 'waiting',
      customerName: 'Anna Schmidt',
      claimedAt: new Date().toISOString(),
    });
    const { onDecline, user } = renderList([anna]);

    await user.click(screen.getByRole('button', { name: 'Decline Anna Schmidt' }));
    await user.type(
      screen.getByRole('textbox', { name: 'Reason (optional, shown to the customer)' }),
      'Wrong queue',
    );
    await user.click(screen.getByRole('button', { name: 'Decline Anna Schmidt now' }));

    expect(onDecline).toHaveBeenCalledWith('c-anna', 'Wrong queue');
  });

  it('declines without a reason when none is given, keyboard only', async () => {
    const anna = aCall({
      id: 'c-anna',
      state: 'waiting',
      customerName: 'Anna Schmidt',
      claimedAt: new Date().toISOString(),
    });
    const { onDecline, user } = renderList([anna]);

    screen.getByRole('button', { name: 'Decline Anna Schmidt' }).focus();
    await user.keyboard('{Enter}');
    await user.keyboard('{Enter}');

    expect(onDecline).toHaveBeenCalledWith('c-anna', undefined);
  });

  it('sends a note to the waiting customer', async () => {
    const anna = aCall({
      id: 'c-anna',
      state: 'waiting',
      customerName: 'Anna Schmidt',
      claimedAt: new Date().toISOString(),
    });
    const { onSendNote, user } = renderList([anna]);

    await user.click(screen.getByRole('button', { name: 'Send a note to Anna Schmidt' }));
    await user.type(
      screen.getByRole('textbox', { name: 'Note shown to Anna Schmidt while waiting' }),
      'Two minutes, please.{Enter}',
    );

    expect(onSendNote).toHaveBeenCalledWith('c-anna', 'Two minutes, please.');
  });

  it('tells a waiting customer "2 more minutes" in one click, in the customer\'s language', async () => {
    const anna = aCall({
      id: 'c-anna',
      state: 'waiting',
      customerName: 'Anna Schmidt',
      customerLocale: 'de',
      claimedAt: new Date().toISOString(),
    });
    const { onSendNote, user } = renderList([anna]);

    await user.click(screen.getByRole('button', { name: '2 more minutes for Anna Schmidt' }));

    expect(onSendNote).toHaveBeenCalledWith('c-anna', 'Ich bin in 2 Minuten bei Ihnen');
  });

  it('offers "2 more minutes" only while the customer waits', () => {
    renderList([aCall({ id: 'c-live', state: 'admitted', customerName: 'Anna Schmidt' })]);
    expect(screen.queryByRole('button', { name: /2 more minutes/ })).toBeNull();
  });

  it('shows the note the customer sees', () => {
    renderList([
      aCall({
        state: 'waiting',
        customerName: 'Anna',
        claimedAt: new Date().toISOString(),
        lobbyMessage: { text: 'Two minutes, please.', at: new Date().toISOString() },
      }),
    ]);

    expect(screen.getByText('Your note: Two minutes, please.')).toBeInTheDocument();
  });

  it('shows who admitted the customer', () => {
    renderList([
      aCall({
        state: 'admitted',
        customerName: 'Anna',
        admittedBy: { id: 'a2', name: 'Chris Colleague' },
      }),
    ]);

    expect(screen.getByText('Admitted by Chris Colleague')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /End call/ })).toBeInTheDocument();
  });

  it('offers the saved link again on this device, and a new link elsewhere', () => {
    renderList(
      [
        aCall({ id: 'saved', title: 'Here', state: 'scheduled' }),
        aCall({ id: 'unknown', title: 'Elsewhere', state: 'scheduled' }),
      ],
      { saved: ['saved'] },
    );

    expect(
      within(itemOf(/Here/)).getByRole('button', { name: 'Copy link again for Here' }),
    ).toBeInTheDocument();
    expect(
      within(itemOf(/Elsewhere/)).getByRole('button', { name: 'Send a new link for Elsewhere' }),
    ).toBeInTheDocument();
  });

  it('shows finished calls under Finished and switches filters from the tabs', async () => {
    const { onFilterChange, user } = renderList(
      [
        aCall({ title: 'Done', state: 'ended', customerName: 'Anna' }),
        aCall({ title: 'Open', state: 'scheduled' }),
      ],
      { filter: 'finished' },
    );

    expect(screen.getByRole('listitem', { name: /Done/ })).toBeInTheDocument();
    expect(screen.queryByRole('listitem', { name: /Open/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('tab', { name: 'Active (1)' }));
    expect(onFilterChange).toHaveBeenCalledWith('active');
  });

  it('says so when there is nothing to show', () => {
    renderList([]);
    expect(screen.getByText('No active calls. Create a link to start.')).toBeInTheDocument();
  });

  describe('wait timer', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: new Date('2026-11-25T09:00:05Z') });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('counts up while the customer waits', () => {
      renderList(
        [aCall({ state: 'waiting', customerName: 'Anna', claimedAt: '2026-11-25T09:00:00Z' })],
        { user: userEvent.setup({ advanceTimers: jest.advanceTimersByTime }) },
      );
      expect(screen.getByText('Waiting for 0:05')).toBeInTheDocument();

      act(() => {
        jest.advanceTimersByTime(60_000);
      });

      expect(screen.getByText('Waiting for 1:05')).toBeInTheDocument();
    });

    it('counts the call time once the customer is in', () => {
      renderList([
        aCall({ state: 'in_call', customerName: 'Anna', admittedAt: '2026-11-25T08:58:05Z' }),
      ]);

      expect(screen.getByText('In call for 2:00')).toBeInTheDocument();
    });
  });
});
