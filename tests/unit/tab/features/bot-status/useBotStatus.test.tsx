import { act, fireEvent, renderHook } from '@testing-library/react';
import { ApiError } from '../../../../../tab/src/api';
import { useBotStatus, type UseBotStatusOptions } from '../../../../../tab/src/features/bot-status';
import { aDeliveryFailure, aMe } from '../../builders';
import { FakeApiClient } from '../../fakes/fake-api';
import { MemoryStorage } from '../../fakes/fake-services';

type Props = Pick<UseBotStatusOptions, 'reconnects' | 'waitingCallIds'>;

function renderStatus(initial: Props = { reconnects: 0, waitingCallIds: undefined }) {
  const api = new FakeApiClient();
  const session = new MemoryStorage();
  const hook = renderHook((props: Props) => useBotStatus({ api, session, ...props }), {
    initialProps: initial,
  });
  return { api, session, ...hook };
}

const flush = () => act(() => Promise.resolve());

describe('useBotStatus', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-25T09:10:00.000Z') }));
  afterEach(() => jest.useRealTimers());

  it('asks once on start and again after each stream reconnect', async () => {
    const { api, rerender } = renderStatus();
    await flush();
    expect(api.meRequests).toBe(1);

    rerender({ reconnects: 1, waitingCallIds: undefined });
    await flush();

    expect(api.meRequests).toBe(2);
  });

  it('asks again shortly after a customer starts waiting, not for those already waiting', async () => {
    const { api, rerender, result } = renderStatus();
    await flush();
    rerender({ reconnects: 0, waitingCallIds: ['c1'] });
    act(() => jest.advanceTimersByTime(60_000));
    expect(api.meRequests).toBe(1);

    api.meAnswer = aMe({ deliveryFailures: [aDeliveryFailure({ callId: 'c2' })] });
    rerender({ reconnects: 0, waitingCallIds: ['c1', 'c2'] });
    act(() => jest.advanceTimersByTime(4_999));
    expect(api.meRequests).toBe(1);
    act(() => jest.advanceTimersByTime(1));
    await flush();

    expect(api.meRequests).toBe(2);
    expect(result.current.notices.failures).toHaveLength(1);
    act(() => jest.advanceTimersByTime(35_000));
    await flush();
    expect(api.meRequests).toBe(3);
  });

  it('asks again when the tab regains focus, at most every 15 seconds', async () => {
    const { api } = renderStatus();
    await flush();

    fireEvent.focus(window);
    expect(api.meRequests).toBe(1);
    act(() => jest.advanceTimersByTime(15_000));
    fireEvent.focus(window);
    await flush();

    expect(api.meRequests).toBe(2);
  });

  it('keeps the last answer when a later request fails', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { api, rerender, result } = renderStatus();
    api.meAnswer = aMe({ botReachable: false });
    rerender({ reconnects: 1, waitingCallIds: undefined });
    await flush();
    expect(result.current.notices.unreachable).toEqual({ mode: 'teams' });

    api.meAnswer = new ApiError('network', 'offline', undefined);
    rerender({ reconnects: 2, waitingCallIds: undefined });
    await flush();

    expect(result.current.notices.unreachable).toEqual({ mode: 'teams' });
    expect(warn).toHaveBeenCalledWith('bot status unavailable:', 'network');
    warn.mockRestore();
  });

  it('remembers the newest dismissed failure in session storage', async () => {
    const { api, session, rerender, result } = renderStatus();
    api.meAnswer = aMe({
      deliveryFailures: [
        aDeliveryFailure({ at: '2026-11-25T09:05:00.000Z' }),
        aDeliveryFailure({ at: '2026-11-25T09:07:00.000Z' }),
      ],
    });
    rerender({ reconnects: 1, waitingCallIds: undefined });
    await flush();
    expect(result.current.notices.failures[0]?.at).toBe('2026-11-25T09:07:00.000Z');

    act(() => result.current.dismissFailures());

    expect(result.current.notices.failures).toEqual([]);
    expect(session.getItem('one-time-call.delivery-failures-seen.v1')).toBe(
      '2026-11-25T09:07:00.000Z',
    );
  });
});
