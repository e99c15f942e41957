import {
  contributionOf,
  durationBucket,
  instantsOfDays,
  localClock,
  localMinuteFormatter,
  localSlot,
  localTime,
  offsetOfSlot,
  offsetSpans,
  slotOf,
  startOfLocalDay,
  summarise,
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

  it('reads durations past 300 s at the resolution of their bucket, and the exact max when given', () => {
    expect([299, 300, 304, 899, 900, 929, 3599, 3600, 86_399, 90_100].map(durationBucket)).toEqual([
      299, 300, 300, 895, 900, 900, 3570, 3600, 86_100, 90_000,
    ]);
    // 100 s, 1234 s and 1250 s: the last two share the bucket 1230–1259.
    const h = { [durationBucket(100)]: 1, [durationBucket(1234)]: 2 };
    expect(summarise(h, 1230, 1250)).toEqual({
      count: 3,
      p50: 1230,
      p90: 1230,
      max: 1250,
      // The bucket 1230–1259 is not wholly within 1230 s: counted as outside.
      withinTarget: 1 / 3,
    });
    expect(summarise(h, 1259, 1250).withinTarget).toBe(1);
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
    expect(instantsOfDays('2026-03-29', '2026-03-29', 'Europe/Berlin')).toEqual({
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
      slot: slotOf('2026-03-29T10:00:00.000Z'),
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

describe('offsetSpans and localSlot', () => {
  it('agree with Intl through a year, at every quarter of the hour, in whole-, half- and quarter-hour zones', () => {
    // Lord Howe moves by half an hour; Kolkata and Kathmandu never change; Santiago skips midnight.
    const zones = ['Europe/Berlin', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago'];
    const from = slotOf('2026-01-01T00:00:00.000Z');
    const to = from + 366 * 96;
    for (const zone of zones) {
      const spans = offsetSpans(from, to, zone);
      // Every third quarter hour: 3 and 4 are coprime, so every quarter of the hour is visited.
      for (let slot = from; slot < to; slot += 3) {
        const local = localSlot(slot, offsetOfSlot(spans, slot));
        const intl = localTime(slot * 900_000, zone);
        const date = new Date(local.day * 86_400_000).toISOString().slice(0, 10);
        if (date !== intl.date || local.hour !== intl.hour || local.weekday !== intl.weekday) {
          throw new Error(`${zone} slot ${slot}: ${JSON.stringify({ local, intl })}`);
        }
      }
    }
  });

  it('starts an Indian and a Nepalese day between UTC hours', () => {
    expect(instantsOfDays('2026-03-29', '2026-03-29', 'Asia/Kolkata')).toEqual({
      from: '2026-03-28T18:30:00.000Z',
      to: '2026-03-29T18:30:00.000Z',
    });
    expect(new Date(startOfLocalDay('2026-03-29', 'Asia/Kathmandu')).toISOString()).toBe(
      '2026-03-28T18:15:00.000Z',
    );
  });
});

describe('localClock', () => {
  it('agrees with localTime for every hour of a year, across both DST changes', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'UTC']) {
      const fast = localClock(zone);
      for (let h = 0; h < 366 * 24; h += 1) {
        const ms = Date.UTC(2026, 0, 1) + h * 3_600_000 + 7_000;
        // A plain comparison: 35,000 toEqual calls would take the test's whole time.
        const [a, b] = [JSON.stringify(fast(ms)), JSON.stringify(localTime(ms, zone))];
        if (a !== b) throw new Error(`${zone} ${new Date(ms).toISOString()}: ${a} ≠ ${b}`);
      }
    }
  });
});

describe('localMinuteFormatter', () => {
  it('writes what localTime reads for every hour of a year, across both DST changes', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Kathmandu', 'Pacific/Chatham']) {
      const format = localMinuteFormatter(zone);
      for (let h = 0; h < 366 * 24; h += 1) {
        // 7 s and 59 min 59 s past the hour: both ends of a minute and of an hour.
        for (const past of [7_000, 3_599_999]) {
          const ms = Date.UTC(2026, 0, 1) + h * 3_600_000 + past;
          const t = localTime(ms, zone);
          const expected = `${t.date} ${two(t.hour)}:${two(t.minute)}`;
          const actual = format(ms);
          if (actual !== expected) {
            throw new Error(`${zone} ${new Date(ms).toISOString()}: ${actual} ≠ ${expected}`);
          }
        }
      }
    }
  });
});
