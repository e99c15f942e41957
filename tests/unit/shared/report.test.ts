import {
  contributionOf,
  localClock,
  localTime,
  startOfLocalDay,
  summarise,
  hoursOfDays,
} from '@shared';
import { csvCell, csvLine } from '../../../bot/src/http/csv';

describe('summarise', () => {
  it('gives nearest-rank percentiles that are real values, and the share within the target', () => {
    expect(summarise({ 10: 1, 30: 1, 120: 1 }, 60)).toEqual({
      count: 3,
      p50: 30,
      p90: 120,
      max: 120,
      withinTarget: 2 / 3,
    });
    expect(summarise({ 5: 10 }, 5)).toMatchObject({ p50: 5, p90: 5, withinTarget: 1 });
    expect(summarise({}, 60)).toEqual({ count: 0 });
  });
});

describe('local days', () => {
  it('starts a Berlin day at the right instant on both sides of the spring change', () => {
    expect(new Date(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(new Date(startOfLocalDay('2026-03-30', 'Europe/Berlin')).toISOString()).toBe(
      '2026-03-29T22:00:00.000Z',
    );
    expect(hoursOfDays('2026-03-29', '2026-03-29', 'Europe/Berlin')).toEqual({
      from: '2026-03-28T23:00:00.000Z',
      to: '2026-03-29T22:00:00.000Z',
    });
  });

  it('finds the first instant of a day whose midnight does not exist', () => {
    // Santiago moves from 00:00 to 01:00 on 2026-09-06.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(localTime(start, 'America/Santiago')).toMatchObject({ date: '2026-09-06', hour: 1 });
  });

  it('reads weekday (Monday = 0) and hour in the zone', () => {
    expect(localTime(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toEqual({
      date: '2026-03-29',
      hour: 1,
      minute: 30,
      weekday: 6,
    });
  });
});

describe('contributionOf', () => {
  const base = { agentId: 'a', at: '2026-03-29T10:02:00.000Z' };
  it('counts an answer of a team card after escalation, and the wait in whole seconds', () => {
    expect(
      contributionOf({
        ...base,
        type: 'admitted',
        teamId: 't',
        claimedAt: '2026-03-29T10:00:00.500Z',
        escalatedAt: '2026-03-29T10:01:00.000Z',
      }),
    ).toEqual({
      hour: '2026-03-29T10:00:00.000Z',
      counts: { admitted: 1, cardsAnswered: 1, answeredAfterEscalation: 1 },
      waitSeconds: 119,
      lengthSeconds: undefined,
    });
  });

  it('counts "opened, never claimed" only for links that die unclaimed', () => {
    const opened = { ...base, openedAt: '2026-03-29T09:00:00.000Z' };
    expect(contributionOf({ ...opened, type: 'expired', fromState: 'scheduled' })?.counts).toEqual({
      expired: 1,
      openedNotClaimed: 1,
    });
    expect(contributionOf({ ...opened, type: 'revoked', fromState: 'waiting' })?.counts).toEqual({
      revoked: 1,
      openedNotClaimed: 0,
    });
    expect(contributionOf({ ...opened, type: 'lobby-message' })).toBeUndefined();
  });
});

describe('CSV cells', () => {
  it('neutralises formulas and quotes per RFC 4180', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+49 30 1234')).toBe("'+49 30 1234");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('Grüße, "Team"')).toBe('"Grüße, ""Team"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(undefined)).toBe('');
    expect(csvLine(['a', 1, undefined])).toBe('a,1,\r\n');
  });
});

describe('localClock', () => {
  it('agrees with localTime for every hour of a year, across both DST changes', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC']) {
      const fast = localClock(zone);
      for (let h = 0; h < 366 * 24; h += 1) {
        const ms = Date.UTC(2026, 0, 1) + h * 3_600_000;
        expect(fast(ms)).toEqual(localTime(ms, zone));
      }
    }
  });
});
