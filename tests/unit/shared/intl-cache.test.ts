import { dateTimeFormat, fillTemplate, formatWhen, isTimeZone, plurals } from '@shared';

describe('Intl objects built once', () => {
  it('returns the same formatter for the same locale and options, whatever their order', () => {
    const a = dateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'full' });
    const b = dateTimeFormat('de-DE', { dateStyle: 'full', timeZone: 'Europe/Berlin' });
    expect(b).toBe(a);
    expect(dateTimeFormat('de-DE', { dateStyle: 'full', timeZone: 'UTC' })).not.toBe(a);
    expect(plurals('en')).toBe(plurals('en'));
    expect(plurals('en').select(1)).toBe('one');
  });

  it('keeps nothing for an unknown zone and still refuses it', () => {
    expect(() => dateTimeFormat('en', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
  });

  it('formats as a fresh formatter would', () => {
    const iso = '2026-11-25T09:30:00.000Z';
    expect(formatWhen(iso, 'de', 'Europe/Berlin')).toBe(
      `${new Intl.DateTimeFormat('de-DE', { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(new Date(iso))} MEZ`,
    );
  });

  it('fills a template parsed once, leaving unknown placeholders as they are', () => {
    const t = 'Hi {agentName}, {unknown} {link}{link}';
    expect(fillTemplate(t, { agentName: 'Alex', link: 'L' })).toBe('Hi Alex, {unknown} LL');
    expect(fillTemplate(t, { agentName: 'Bo', link: 'M' })).toBe('Hi Bo, {unknown} MM');
    expect(fillTemplate('no placeholders', {})).toBe('no placeholders');
  });
});
