import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CallHistoryResponse } from '@shared';
import { CallHistory } from '../../../../tab/src/components/CallHistory';
import { renderInTab } from '../render';

const history: CallHistoryResponse = {
  callId: 'c1',
  entries: [
    {
      at: '2026-11-25T09:00:00.000Z',
      type: 'created',
      toState: 'scheduled',
      actor: { kind: 'agent', name: 'Alice Agent' },
      by: 'Alice Agent',
    },
    {
      at: '2026-11-25T09:05:00.000Z',
      type: 'claimed',
      fromState: 'scheduled',
      toState: 'waiting',
      actor: { kind: 'customer' },
      by: 'customer',
    },
    {
      at: '2026-11-25T09:30:00.000Z',
      type: 'abandoned',
      fromState: 'waiting',
      toState: 'abandoned',
      actor: { kind: 'system', reason: 'abandoned' },
      by: 'system: abandoned',
    },
  ],
};

describe('CallHistory', () => {
  it('loads the trail when opened and names agent, customer and system', async () => {
    const load = jest.fn(() => Promise.resolve(history));
    renderInTab(<CallHistory callId="c1" title="Boiler" load={load} />, { locale: 'de' });
    const button = screen.getByRole('button', { name: 'Verlauf: Boiler' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(button);
    const list = await screen.findByRole('list', { name: 'Verlauf dieses Anrufs' });
    const items = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items[0]).toContain('Link erstellt');
    expect(items[0]).toContain('(Alice Agent)');
    expect(items[1]).toContain('(Kunde)');
    expect(items[2]).toContain('(System: abandoned)');
    expect(load).toHaveBeenCalledWith('c1');
    expect(button).toHaveAttribute('aria-expanded', 'true');
  });

  it('shows a failure as a message, not a crash', async () => {
    renderInTab(
      <CallHistory callId="c1" title="Boiler" load={() => Promise.reject(new Error('down'))} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'History: Boiler' }));
    expect(await screen.findByText('The history could not be loaded.')).toBeInTheDocument();
  });
});
