import { canonicalTime } from '../../../bot/src/adapters/storage/call-columns';

describe('canonicalTime', () => {
  it('writes every instant as Date#toISOString does, whatever the form it came in', () => {
    const inputs = [
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T09:00:00Z',
      '2026-03-02T10:00:00.000+01:00',
      '2026-12-31T23:59:59.999Z',
      '2024-02-29T12:00:00.000Z',
      '2000-02-29T12:00:00.000Z',
      '2026-11-30T12:00:00.000Z',
      '2026-12-31T12:00:00.000Z',
      // Shapes V8 rolls over: the canonical form is the next day's.
      '2026-02-30T00:00:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2026-04-31T08:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
    ];
    for (const value of inputs) {
      expect(canonicalTime(value)).toBe(new Date(Date.parse(value)).toISOString());
    }
    expect(canonicalTime('2026-02-30T00:00:00.000Z')).toBe('2026-03-02T00:00:00.000Z');
    // Instants spread over 1970–2096, each at an odd millisecond of its day, give back themselves.
    for (let i = 0; i < 2000; i++) {
      const iso = new Date(i * 1_987_654_321).toISOString();
      expect(canonicalTime(iso)).toBe(iso);
    }
  });

  it('refuses text that is no time', () => {
    expect(() => canonicalTime('2026-13-01T00:00:00.000Z')).toThrow('Not an ISO time');
    expect(() => canonicalTime('soon')).toThrow('Not an ISO time');
  });
});
