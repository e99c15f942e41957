import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Report } from '@shared';
import { ApiError } from '../../../../../tab/src/api';
import ReportsView from '../../../../../tab/src/features/reports/ReportsView';
import { fakeServices } from '../../fakes/fake-services';
import { renderInTab } from '../../render';

const zero = {
  created: 0,
  openedNotClaimed: 0,
  claimed: 0,
  admitted: 0,
  declined: 0,
  abandoned: 0,
  expired: 0,
  revoked: 0,
  ended: 0,
  cardsAnswered: 0,
  answeredAfterEscalation: 0,
};

const aReport = (overrides: Partial<Report> = {}): Report => ({
  scope: { kind: 'team', id: 'team-a' },
  from: '2026-11-24',
  to: '2026-11-25',
  timeZone: 'Europe/Berlin',
  targetSeconds: 60,
  totals: {
    ...zero,
    created: 12,
    claimed: 9,
    admitted: 7,
    cardsAnswered: 8,
    answeredAfterEscalation: 2,
  },
  timeToAdmit: { count: 7, p50: 42, p90: 130, max: 200, withinTarget: 0.5714 },
  callLength: { count: 7, p50: 600, p90: 1500, max: 1700 },
  escalationShare: 0.25,
  days: [
    { date: '2026-11-24', counts: { ...zero, created: 5, claimed: 4, admitted: 3 } },
    { date: '2026-11-25', counts: { ...zero, created: 7, claimed: 5, admitted: 4, declined: 1 } },
  ],
  heatMap: Array.from({ length: 7 }, (_, d) =>
    Array.from({ length: 24 }, (_, h) => (d === 0 && h === 9 ? 3 : 0)),
  ),
  waitDistribution: [
    { fromSeconds: 0, toSeconds: 15, count: 1 },
    { fromSeconds: 15, toSeconds: 30, count: 2 },
    { fromSeconds: 30, toSeconds: 60, count: 1 },
    { fromSeconds: 60, toSeconds: 120, count: 1 },
    { fromSeconds: 120, toSeconds: 300, count: 2 },
    { fromSeconds: 300, count: 0 },
  ],
  ...overrides,
});

// Fluent's charts (d3) under jsdom are slow on a busy machine.
jest.setTimeout(30_000);

describe('ReportsView', () => {
  it("shows the team's figures with their definitions and each chart's table", async () => {
    const { services, api } = fakeServices();
    api.reportAnswer = aReport();
    renderInTab(<ReportsView team={{ id: 'team-a', name: 'Support' }} timeZone="Europe/Berlin" />, {
      services,
    });
    const figures = await screen.findByRole('table', { name: 'Figures' });
    expect(within(figures).getByRole('row', { name: /Links created 12/ })).toBeInTheDocument();
    expect(
      within(figures).getByRole('row', { name: /Admitted within 60 s 57 %/ }),
    ).toBeInTheDocument();
    expect(
      within(figures).getByRole('row', { name: /Cards answered after escalation 25 %/ }),
    ).toBeInTheDocument();
    expect(api.requests).toContainEqual(expect.stringMatching(/^report team \S+ Europe\/Berlin$/));

    const waits = screen.getAllByRole('region', { name: 'Time to admit' })[0]!;
    await userEvent.click(within(waits).getByRole('switch', { name: 'Show as table' }));
    const table = within(waits).getByRole('table', { name: 'Time to admit' });
    expect(within(table).getByRole('row', { name: '120–300 s 2' })).toBeInTheDocument();

    const heat = screen.getAllByRole('region', { name: /^Busy hours/ })[0]!;
    await userEvent.click(within(heat).getByRole('switch', { name: 'Show as table' }));
    expect(within(heat).getAllByRole('row')[1]).toHaveTextContent(/^Mon0000000003/);

    const days = screen.getAllByRole('region', { name: 'Arrivals and outcomes per day' })[0]!;
    await userEvent.click(within(days).getByRole('switch', { name: 'Show as table' }));
    expect(within(days).getByRole('row', { name: /2026-11-25 5 4 1/ })).toBeInTheDocument();
  });

  it('asks for the last 90 days when chosen, and downloads the CSV', async () => {
    const { services, api } = fakeServices();
    api.reportAnswer = aReport({
      scope: { kind: 'agent', id: 'me' },
      escalationShare: undefined,
    });
    const created: Blob[] = [];
    URL.createObjectURL = (blob: Blob) => {
      created.push(blob);
      return 'blob:x';
    };
    URL.revokeObjectURL = () => undefined;
    renderInTab(<ReportsView team={undefined} timeZone="UTC" />, { services });
    await screen.findByRole('table', { name: 'Figures' });
    expect(screen.queryByText('Cards answered after escalation')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('combobox', { name: 'Period' }));
    await userEvent.click(screen.getByRole('option', { name: 'Last 90 days' }));
    await screen.findByRole('table', { name: 'Figures' });
    const asked = api.requests.filter((r) => r.startsWith('report me'));
    const [from, to] = asked[asked.length - 1]!.split(' ')[2]!.split('..');
    expect((Date.parse(to!) - Date.parse(from!)) / 86_400_000).toBe(89);
    await userEvent.click(screen.getByRole('button', { name: /Download CSV/ }));
    expect(created).toHaveLength(1);
    expect(api.requests).toContain('csv me');
  });

  it('says why the figures are missing, and retries', async () => {
    const { services, api } = fakeServices();
    api.reportAnswer = new ApiError('forbidden', 'no', 403);
    renderInTab(<ReportsView team={{ id: 't', name: 'T' }} timeZone="UTC" />, { services });
    expect(await screen.findByText('You are not allowed to do this.')).toBeInTheDocument();
    api.reportAnswer = aReport();
    await userEvent.click(screen.getByRole('button', { name: /Retry|Try again/ }));
    expect(await screen.findByRole('table', { name: 'Figures' })).toBeInTheDocument();
  });
});
