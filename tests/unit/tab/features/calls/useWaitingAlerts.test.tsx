import { renderHook } from '@testing-library/react';
import type { CallDto } from '@shared';
import { useWaitingAlerts } from '../../../../../tab/src/features/calls/useWaitingAlerts';
import { aCall } from '../../builders';

const options = {
  enabled: false,
  beep: jest.fn(),
  announceText: (name: string) => `${name} is waiting for you.`,
  titleText: (count: number) => `(${count}) waiting`,
  timedOutText: (name: string) => `${name}'s wait timed out.`,
};

describe('useWaitingAlerts', () => {
  it('announces a customer seen waiting whose wait timed out, apart from one who left', () => {
    const anna = aCall({ id: 'c1', state: 'waiting', customerName: 'Anna' });
    const ben = aCall({ id: 'c2', state: 'waiting', customerName: 'Ben' });
    const hook = renderHook((calls: readonly CallDto[]) => useWaitingAlerts(calls, options), {
      initialProps: [anna, ben],
    });
    expect(hook.result.current.announcement).toBe('');
    hook.rerender([
      { ...anna, state: 'timed_out' },
      { ...ben, state: 'abandoned' },
    ]);
    expect(hook.result.current.announcement).toBe("Anna's wait timed out.");
    expect(options.beep).not.toHaveBeenCalled();
  });
});
