import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../../../tab/src/api';
import { TabHome } from '../../../../../tab/src/features/home';
import { aCall } from '../../builders';
import { FakeTeamsHost } from '../../fakes/fake-host';
import { fakeServices } from '../../fakes/fake-services';
import { renderInTab } from '../../render';

function renderHome(setup = fakeServices(), team?: { id: string; name: string }) {
  renderInTab(
    <TabHome team={team} agentId="agent-1" defaultCustomerLocale="en" timeZone="Europe/Berlin" />,
    { services: setup.services },
  );
  return { ...setup, user: userEvent.setup({ delay: null }) };
}

describe('TabHome', () => {
  it('shows the new link and lists the call after creating it', async () => {
    const { api, user } = renderHome();
    await screen.findByText('No active calls. Create a link to start.');

    await user.click(screen.getByRole('button', { name: 'Create link' }));

    expect(
      await screen.findByRole('heading', { name: 'Link ready: Call with customer' }),
    ).toHaveFocus();
    expect(screen.getByRole('listitem', { name: /Call with customer/ })).toBeInTheDocument();
    expect(api.requests[1]).toMatch(/^create /);
  });

  it('starts the next link from fresh defaults', async () => {
    const { user } = renderHome();
    const title = await screen.findByRole('textbox', { name: 'Title' });
    await user.clear(title);
    await user.type(title, 'Router setup');

    await user.click(screen.getByRole('button', { name: 'Create link' }));
    await screen.findByRole('heading', { name: /^Link ready:/ });

    expect(screen.getByRole('textbox', { name: 'Title' })).toHaveValue('Call with customer');
  });

  it('shows a customer who starts waiting, announces them and admits them', async () => {
    const setup = fakeServices();
    const call = aCall({ id: 'c1', state: 'scheduled' });
    setup.api.calls = [call];
    const { stream, api, user } = renderHome(setup);
    await screen.findByRole('listitem', { name: /Call with customer/ });

    const waiting = {
      ...call,
      state: 'waiting' as const,
      version: 2,
      customerName: 'Anna Schmidt',
      claimedAt: new Date().toISOString(),
    };
    api.calls = [waiting];
    act(() => stream.push(waiting));

    expect(await screen.findByText('Anna Schmidt is waiting for you.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Admit Anna Schmidt' }));
    expect(await screen.findByText('Admitted')).toBeInTheDocument();
    expect(api.requests).toContain('admit c1');
  });

  it('admits a Teams customer and takes the agent into the meeting in one step; Join meeting opens it again', async () => {
    const host = new FakeTeamsHost({
      theme: 'default',
      locale: 'en-us',
      team: undefined,
      frameContext: 'content',
    });
    const setup = fakeServices({ host });
    setup.api.calls = [
      aCall({ id: 'c1', state: 'waiting', customerName: 'Anna', meetingProvider: 'teams' }),
    ];
    const { api, user } = renderHome(setup);
    await user.click(await screen.findByRole('button', { name: 'Admit Anna' }));
    await waitFor(() => expect(host.opened).toHaveLength(1));
    expect(api.requests).toEqual(expect.arrayContaining(['admit c1', 'meeting-link c1']));
    expect(host.opened[0]).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);

    const join = await screen.findByRole('button', { name: 'Join meeting for Call with customer' });
    // Label in name (WCAG 2.5.3): each button's accessible name starts with the text it shows, so
    // "click Join meeting" reaches it by voice. The e2e axe run never sees Teams-only buttons.
    const mismatches = screen
      .getAllByRole('button')
      .map((button) => ({
        shown: (button.textContent ?? '').trim(),
        name: button.getAttribute('aria-label'),
      }))
      .filter(({ shown, name }) => name !== null && !name.startsWith(shown));
    expect(mismatches).toEqual([]);
    await user.click(join);
    await waitFor(() => expect(host.opened).toHaveLength(2));
  });

  it('offers no Join meeting outside Teams or for calls without a Teams meeting', async () => {
    const setup = fakeServices();
    setup.api.calls = [
      aCall({ id: 'c1', state: 'waiting', customerName: 'Anna', meetingProvider: 'teams' }),
    ];
    const { api, user } = renderHome(setup);
    await user.click(await screen.findByRole('button', { name: 'Admit Anna' }));
    expect(await screen.findByText('Admitted')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Join meeting/ })).toBeNull();
    expect(api.requests).not.toContain('meeting-link c1');
  });

  it('opens the call pane after Admit, and says so when the host gives no camera', async () => {
    const setup = fakeServices();
    const waiting = aCall({
      id: 'c1',
      state: 'waiting',
      customerName: 'Anna Schmidt',
      claimedAt: new Date().toISOString(),
    });
    setup.api.calls = [waiting];
    const { user } = renderHome(setup);

    await user.click(await screen.findByRole('button', { name: 'Admit Anna Schmidt' }));

    expect(
      await screen.findByRole('heading', { name: 'Call with Anna Schmidt' }),
    ).toBeInTheDocument();
    // jsdom has no camera, like a Teams client that refuses media: the pane explains and offers a way on.
    expect(await screen.findByText(/No camera or microphone was found/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Join without camera' })).toBeInTheDocument();
  });

  it('plays a sound and sets the tab title only when the agent turned alerts on', async () => {
    const setup = fakeServices();
    const call = aCall({ id: 'c1' });
    setup.api.calls = [call];
    const { stream, beeps, user } = renderHome(setup);
    await screen.findByRole('listitem', { name: /Call with customer/ });

    await user.click(
      screen.getByRole('switch', { name: 'Sound and tab title when a customer waits' }),
    );
    act(() =>
      stream.push({
        ...call,
        state: 'waiting',
        version: 2,
        customerName: 'Anna',
        claimedAt: new Date().toISOString(),
      }),
    );

    await waitFor(() => expect(document.title).toBe('(1) Customer waiting'));
    expect(beeps).toHaveLength(1);
    expect(setup.storage.getItem('one-time-call.alerts.v1')).toBe('on');
  });

  it('does not announce customers who were already waiting when the tab opened', async () => {
    const setup = fakeServices();
    setup.storage.setItem('one-time-call.alerts.v1', 'on');
    setup.api.calls = [
      aCall({ state: 'waiting', customerName: 'Anna', claimedAt: new Date().toISOString() }),
    ];
    const { beeps } = renderHome(setup);

    await screen.findByRole('button', { name: 'Admit Anna' });

    expect(screen.queryByText('Anna is waiting for you.')).not.toBeInTheDocument();
    expect(beeps).toHaveLength(0);
    expect(document.title).toBe('(1) Customer waiting');
  });

  it('ignores stale stream events', async () => {
    const setup = fakeServices();
    setup.api.calls = [aCall({ id: 'c1', state: 'admitted', version: 3, customerName: 'Anna' })];
    const { stream } = renderHome(setup);
    await screen.findByText('Admitted');

    act(() => stream.push(aCall({ id: 'c1', state: 'waiting', version: 2, customerName: 'Anna' })));

    expect(screen.getByText('Admitted')).toBeInTheDocument();
  });

  it('reloads the list after the stream reconnects', async () => {
    const setup = fakeServices();
    const { stream, api } = renderHome(setup);
    await screen.findByText('No active calls. Create a link to start.');

    api.calls = [aCall({ title: 'Missed while offline' })];
    act(() => stream.reconnect());

    expect(
      await screen.findByRole('listitem', { name: /Missed while offline/ }),
    ).toBeInTheDocument();
  });

  it('shows a failed load with a retry', async () => {
    const setup = fakeServices();
    setup.api.failNext.list = new ApiError('network', 'down', undefined);
    const { user, api } = renderHome(setup);

    expect(await screen.findByText('The calls could not be loaded.')).toBeInTheDocument();
    api.calls = [aCall({ title: 'Back' })];
    await user.click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('listitem', { name: /Back/ })).toBeInTheDocument();
  });

  it('explains a conflict when a colleague acted first', async () => {
    const setup = fakeServices();
    setup.api.calls = [
      aCall({
        id: 'c1',
        state: 'waiting',
        customerName: 'Anna',
        claimedAt: new Date().toISOString(),
      }),
    ];
    setup.api.failNext.action = new ApiError('state-conflict', 'moved', 409, 'admitted');
    const { user } = renderHome(setup);

    await user.click(await screen.findByRole('button', { name: 'Admit Anna' }));

    expect(
      await screen.findByText(/This call has already changed \(now: Admitted\)/),
    ).toBeInTheDocument();
  });

  it('lists the team queue in a channel tab', async () => {
    const { api } = renderHome(fakeServices(), { id: 'team-1', name: 'Support' });

    expect(await screen.findByRole('heading', { name: 'Calls of Support' })).toBeInTheDocument();
    expect(api.requests[0]).toBe('list team team-1');
  });

  it('sends a new link for a finished call and shows it', async () => {
    const setup = fakeServices();
    setup.api.calls = [
      aCall({ id: 'old', title: 'Dropped call', state: 'ended', customerName: 'Anna' }),
    ];
    const { api, user } = renderHome(setup);

    await user.click(await screen.findByRole('tab', { name: 'Finished' }));
    await user.click(screen.getByRole('button', { name: 'Send a new link for Dropped call' }));

    expect(await screen.findByRole('heading', { name: /^Link ready:/ })).toHaveFocus();
    expect(api.requests).toContain('reissue old');
  });

  it('shows a link made on this device again from the list', async () => {
    const setup = fakeServices();
    const { user } = renderHome(setup);
    await user.click(await screen.findByRole('button', { name: 'Create link' }));
    await user.click(await screen.findByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('heading', { name: /^Link ready:/ })).not.toBeInTheDocument();

    await user.click(
      screen.getByRole('button', { name: 'Copy link again for Call with customer' }),
    );

    expect(
      await screen.findByRole('heading', { name: 'Link ready: Call with customer' }),
    ).toBeInTheDocument();
    expect(screen.getByText('https://calls.example.com/j/abcDEF123')).toBeInTheDocument();
  });
});
