import {
  DEFAULT_TEMPLATES,
  LOCALES,
  checkTemplateOverrides,
  fillTemplate,
  measureSms,
  renderInvitation,
  resolveTemplates,
  type InvitationFacts,
} from '@shared';

// A realistic production host: 58 characters of link.
const LINK = 'https://calls.contoso-support.com/j/AbCdEfGhIjKlMnOpQrStUw';

const facts = (overrides: Partial<InvitationFacts> = {}): InvitationFacts => ({
  link: LINK,
  title: 'Boiler check',
  agentName: 'Maria Weber',
  startsAt: '2026-11-25T14:30:00.000Z',
  durationMinutes: 30,
  expiresAt: '2026-11-25T16:00:00.000Z',
  timeZone: 'Europe/Berlin',
  locale: 'en',
  ...overrides,
});

describe('invitation texts', () => {
  it('keeps the join link under 60 characters for a realistic host', () => {
    expect(LINK.length).toBeLessThan(60);
  });

  it.each(LOCALES)('fits the %s SMS in one GSM-7 segment, link first', (locale) => {
    const { sms } = renderInvitation(facts({ locale }), resolveTemplates());
    expect(sms.startsWith(LINK)).toBe(true);
    expect(measureSms(sms)).toMatchObject({ encoding: 'gsm7', segments: 1 });
  });

  it.each(LOCALES)(
    'falls back to the short %s SMS when a long agent name would split it',
    (locale) => {
      const { sms } = renderInvitation(
        facts({ locale, agentName: 'Maximiliane Theodora von Hohenberg-Wittelsbach' }),
        resolveTemplates(),
      );
      expect(sms).not.toContain('Maximiliane');
      expect(sms.startsWith(LINK)).toBe(true);
      expect(measureSms(sms).segments).toBe(1);
    },
  );

  it('writes the browser call email: open, type a name, wait, talk in the browser; no Teams', () => {
    for (const locale of ['en', 'de'] as const) {
      const { text, sms } = renderInvitation(facts({ locale }), resolveTemplates());
      expect(text).not.toMatch(/Teams|apps\.apple|play\.google/);
      expect(sms).not.toMatch(/Teams/);
      expect(text).toContain(LINK);
    }
    const { text } = renderInvitation(facts(), resolveTemplates({}, 'browser'));
    expect(text).toMatch(/web browser .* nothing to install/);
    expect(text).toMatch(/1\. At the time of the call, open this link/);
    expect(text).toMatch(/2\. Type your name/);
    expect(text).toMatch(/3\. Wait a moment until Maria Weber lets you in/);
    expect(text).toMatch(/4\. Your browser asks to use your camera and microphone/);
    const de = renderInvitation(facts({ locale: 'de' }), resolveTemplates()).text;
    expect(de).toContain('Sie müssen nichts installieren');
    expect(de).toContain('Kamera und Mikrofon');
  });

  it('writes the Teams meeting email with the two steps, the store links, the link and the validity', () => {
    const { subject, text } = renderInvitation(facts(), resolveTemplates({}, 'teams'));
    expect(subject).toBe('Your video call with Maria Weber: Boiler check');
    expect(text).toMatch(/1\. Get Microsoft Teams/);
    expect(text).toContain('https://apps.apple.com/app/microsoft-teams/id1113153706');
    expect(text).toContain('https://play.google.com/store/apps/details?id=com.microsoft.teams');
    expect(text).toMatch(/2\. At the time of the call, open this link/);
    expect(text).toContain(LINK);
    expect(text).toContain('type your name, then wait');
    // Times are in the agent's zone: 14:30 UTC is 15:30 in Berlin.
    expect(text).toContain('15:30');
    expect(text).toContain('valid until');
  });

  it('writes the German email in German, in the agent zone', () => {
    const { subject, text } = renderInvitation(
      facts({ locale: 'de' }),
      resolveTemplates({}, 'teams'),
    );
    expect(subject).toBe('Ihr Videoanruf mit Maria Weber: Boiler check');
    expect(text).toContain('Laden Sie Microsoft Teams herunter');
    expect(text).toContain('Mittwoch, 25. November 2026 um 15:30');
  });

  it('uses an administrator override and keeps the other templates', () => {
    const templates = resolveTemplates({ de: { sms: '{link} Bitte beitreten.' } });
    expect(renderInvitation(facts({ locale: 'de' }), templates).sms).toBe(
      `${LINK} Bitte beitreten.`,
    );
    expect(templates.de.emailBody).toBe(DEFAULT_TEMPLATES.de.emailBody);
    expect(templates.en).toEqual(DEFAULT_TEMPLATES.en);
  });

  it('reports unknown placeholders and an SMS without the link', () => {
    expect(
      checkTemplateOverrides({ en: { sms: 'Call {agent}' }, de: { emailBody: '{link} {foo}' } }),
    ).toEqual([
      'en.sms: unknown placeholder {agent}',
      'en.sms: must contain {link}',
      'de.emailBody: unknown placeholder {foo}',
    ]);
    expect(checkTemplateOverrides({ en: { sms: '{link} hi {agentName}' } })).toEqual([]);
  });

  it('leaves unknown placeholders visible rather than blank', () => {
    expect(fillTemplate('{link} {nope}', { link: 'x' })).toBe('x {nope}');
  });
});
