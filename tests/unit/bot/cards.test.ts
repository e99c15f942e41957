/**
 * @jest-environment jsdom
 */
import type * as AdaptiveCards from 'adaptivecards';
import { toCallDto, type CallDto, type CallState } from '@shared';
import type { AdaptiveCard, CardElement } from '../../../bot/src/teams/cards/card-types';
import { cardLocale, cardStrings } from '../../../bot/src/teams/cards/card-strings';
import {
  buildCallListCard,
  buildErrorCard,
  buildHelpCard,
  buildNewLinkCard,
  buildNoticeCard,
} from '../../../bot/src/teams/cards/command-cards';
import { buildLobbyCard, escapeMarkdown } from '../../../bot/src/teams/cards/lobby-card';
import { aCall, anAgent } from '../../fixtures/calls';

// The adaptivecards renderer needs a DOM; its ESM entry does not load under jest, its UMD bundle does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards') as typeof AdaptiveCards;

const NOW = new Date('2026-03-02T09:35:00.000Z');
const TAB = 'https://teams.microsoft.com/l/entity/app-id/home';
const JOIN = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0';

/** Parses a card as a Teams-like host would and returns every error or warning the library reports. */
function problems(card: AdaptiveCard): string[] {
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const found: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) found.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) found.push(event.message);
  return found;
}

const waiting = (overrides: Partial<CallDto> = {}): CallDto => ({
  ...toCallDto(
    aCall({
      id: 'call-1',
      state: 'waiting',
      customerName: 'Anna Schmidt',
      claimedAt: '2026-03-02T09:32:10.000Z',
      timeZone: 'Europe/Berlin',
    }),
  ),
  ...overrides,
});

const inState = (state: CallState, extra: Partial<CallDto> = {}): CallDto =>
  waiting({ state, updatedAt: '2026-03-02T09:34:00.000Z', ...extra });

const ALL_CARDS: [string, AdaptiveCard][] = (['en', 'de'] as const).flatMap((locale) => [
  [`${locale} waiting`, buildLobbyCard(waiting(), NOW, locale, { tabUrl: TAB })],
  [
    `${locale} waiting, auto-refreshed (Teams mode)`,
    buildLobbyCard(waiting(), NOW, locale, { tabUrl: TAB, autoRefresh: true }),
  ],
  [
    `${locale} waiting with a message and a team`,
    buildLobbyCard(
      waiting({
        lobbyMessage: { text: "I'll be with you in 2 minutes", at: '2026-03-02T09:33:00.000Z' },
        team: { id: 't1', name: 'Support' },
      }),
      NOW,
      locale,
      { tabUrl: TAB },
    ),
  ],
  [
    `${locale} escalated to the team`,
    buildLobbyCard(waiting(), NOW, locale, {
      tabUrl: TAB,
      escalation: { kind: 'team', afterSeconds: 60 },
    }),
  ],
  [
    `${locale} reminder`,
    buildLobbyCard(waiting(), NOW, locale, {
      tabUrl: TAB,
      escalation: { kind: 'reminder', afterSeconds: 60 },
    }),
  ],
  [
    `${locale} admitted`,
    buildLobbyCard(
      inState('admitted', { admittedBy: anAgent(), admittedAt: '2026-03-02T09:34:00.000Z' }),
      NOW,
      locale,
      { tabUrl: TAB },
    ),
  ],
  [
    `${locale} in call`,
    buildLobbyCard(inState('in_call', { admittedBy: anAgent() }), NOW, locale, { tabUrl: TAB }),
  ],
  [
    `${locale} declined`,
    buildLobbyCard(
      inState('declined', {
        declineReason: 'Please book again',
        decidedAt: '2026-03-02T09:34:00.000Z',
      }),
      NOW,
      locale,
      {
        tabUrl: TAB,
      },
    ),
  ],
  [
    `${locale} left`,
    buildLobbyCard(inState('abandoned'), NOW, locale, { tabUrl: TAB, abandonedBy: 'customer' }),
  ],
  [
    `${locale} timed out`,
    buildLobbyCard(inState('abandoned'), NOW, locale, { tabUrl: TAB, abandonedBy: 'system' }),
  ],
  [`${locale} revoked`, buildLobbyCard(inState('revoked'), NOW, locale, { tabUrl: TAB })],
  [
    `${locale} ended`,
    buildLobbyCard(inState('ended', { endedAt: '2026-03-02T09:34:00.000Z' }), NOW, locale, {
      tabUrl: TAB,
    }),
  ],
  [`${locale} expired`, buildLobbyCard(inState('expired'), NOW, locale, { tabUrl: TAB })],
  [
    `${locale} waiting, Teams meeting`,
    buildLobbyCard(waiting(), NOW, locale, { tabUrl: TAB, joinMeetingUrl: JOIN }),
  ],
  [
    `${locale} admitted, Teams meeting`,
    buildLobbyCard(inState('admitted', { admittedBy: anAgent() }), NOW, locale, {
      tabUrl: TAB,
      joinMeetingUrl: JOIN,
    }),
  ],
  [
    `${locale} scheduled`,
    buildLobbyCard(inState('scheduled', { customerName: undefined }), NOW, locale, { tabUrl: TAB }),
  ],
  [`${locale} help`, buildHelpCard(locale, TAB)],
  [`${locale} welcome`, buildHelpCard(locale, TAB, 'welcome')],
  [`${locale} unknown command`, buildHelpCard(locale, TAB, 'unknown')],
  [
    `${locale} new link`,
    buildNewLinkCard(
      {
        call: aCall({ title: 'Router setup' }),
        code: 'x',
        link: 'http://localhost:3978/j/abc',
        message: { subject: 'Your video call', text: 'Hello,\n\nopen the link.' },
        sms: {
          text: 'http://localhost:3978/j/abc\nVideo call',
          encoding: 'gsm7',
          units: 40,
          segments: 1,
        },
      },
      locale,
      TAB,
    ),
  ],
  [`${locale} empty list`, buildCallListCard([], NOW, locale, TAB)],
  [
    `${locale} notice`,
    buildNoticeCard('2 people besides you are now in the call "x".', locale, TAB),
  ],
  [
    `${locale} long list`,
    buildCallListCard(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 ? waiting({ id: `c${i}` }) : inState('scheduled', { id: `c${i}` }),
      ),
      NOW,
      locale,
      TAB,
    ),
  ],
  ...(['badPayload', 'notAvailable', 'unknownUser', 'internal'] as const).map(
    (kind): [string, AdaptiveCard] => [
      `${locale} error ${kind}`,
      buildErrorCard(kind, locale, TAB, 'call-1'),
    ],
  ),
]);

describe('cards', () => {
  it.each(ALL_CARDS)(
    '%s parses with the adaptivecards library without errors or warnings',
    (_name, card) => {
      expect(card.version).toBe('1.5');
      expect(problems(card)).toEqual([]);
    },
  );

  it('catches a broken card (the validation is real)', () => {
    const broken = { ...buildHelpCard('en', TAB), actions: [{ type: 'Action.Nope', title: 'x' }] };
    expect(problems(broken as AdaptiveCard)).not.toEqual([]);
  });

  it('shows a waiting customer with Admit, Decline with a reason, two quick messages and the tab', () => {
    expect(buildLobbyCard(waiting(), NOW, 'en', { tabUrl: TAB })).toMatchInlineSnapshot(`
     {
       "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
       "actions": [
         {
           "data": {
             "callId": "call-1",
           },
           "fallback": {
             "data": {
               "callId": "call-1",
               "verb": "admit",
             },
             "title": "Admit",
             "type": "Action.Submit",
           },
           "style": "positive",
           "title": "Admit",
           "type": "Action.Execute",
           "verb": "admit",
         },
         {
           "card": {
             "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
             "actions": [
               {
                 "data": {
                   "callId": "call-1",
                 },
                 "fallback": {
                   "data": {
                     "callId": "call-1",
                     "verb": "decline",
                   },
                   "title": "Decline",
                   "type": "Action.Submit",
                 },
                 "style": "destructive",
                 "title": "Decline",
                 "type": "Action.Execute",
                 "verb": "decline",
               },
             ],
             "body": [
               {
                 "id": "reason",
                 "isMultiline": false,
                 "label": "Reason (optional; the customer sees it)",
                 "maxLength": 200,
                 "placeholder": "e.g. Please book a new appointment",
                 "type": "Input.Text",
               },
             ],
             "type": "AdaptiveCard",
             "version": "1.5",
           },
           "title": "Decline…",
           "type": "Action.ShowCard",
         },
         {
           "card": {
             "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
             "actions": [
               {
                 "data": {
                   "callId": "call-1",
                   "text": "I'll be with you in 2 minutes",
                 },
                 "fallback": {
                   "data": {
                     "callId": "call-1",
                     "text": "I'll be with you in 2 minutes",
                     "verb": "message",
                   },
                   "title": "I'll be with you in 2 minutes",
                   "type": "Action.Submit",
                 },
                 "title": "I'll be with you in 2 minutes",
                 "type": "Action.Execute",
                 "verb": "message",
               },
               {
                 "data": {
                   "callId": "call-1",
                   "text": "Please have the device ready",
                 },
                 "fallback": {
                   "data": {
                     "callId": "call-1",
                     "text": "Please have the device ready",
                     "verb": "message",
                   },
                   "title": "Please have the device ready",
                   "type": "Action.Submit",
                 },
                 "title": "Please have the device ready",
                 "type": "Action.Execute",
                 "verb": "message",
               },
             ],
             "body": [],
             "type": "AdaptiveCard",
             "version": "1.5",
           },
           "title": "Message…",
           "type": "Action.ShowCard",
         },
         {
           "title": "Open One-Time Call",
           "type": "Action.OpenUrl",
           "url": "https://teams.microsoft.com/l/entity/app-id/home",
         },
       ],
       "body": [
         {
           "size": "Medium",
           "text": "Customer waiting",
           "type": "TextBlock",
           "weight": "Bolder",
           "wrap": true,
         },
         {
           "inlines": [
             {
               "text": "Anna Schmidt",
               "type": "TextRun",
               "weight": "Bolder",
             },
             {
               "text": " is waiting in the lobby",
               "type": "TextRun",
             },
           ],
           "type": "RichTextBlock",
         },
         {
           "facts": [
             {
               "title": "Call",
               "value": "Contract review",
             },
             {
               "title": "Customer",
               "value": "Guest (no Teams account)",
             },
             {
               "title": "Waiting",
               "value": "since 10:32 (2 min)",
             },
             {
               "title": "Link created",
               "value": "10:00",
             },
           ],
           "type": "FactSet",
         },
       ],
       "type": "AdaptiveCard",
       "version": "1.5",
     }
    `);
  });

  it('says who admitted, and offers no buttons but the tab any more', () => {
    const card = buildLobbyCard(
      inState('admitted', {
        admittedBy: { id: 'b', name: 'Bob Builder' },
        admittedAt: '2026-03-02T09:34:00.000Z',
      }),
      NOW,
      'en',
      { tabUrl: TAB },
    );
    expect(JSON.stringify(card.body)).toContain('Admitted by Bob Builder at 10:34.');
    expect((card['actions'] as CardElement[]).map((a) => a.type)).toEqual(['Action.OpenUrl']);
  });

  it('says on the card when a meeting step failed for good, and what to do in Teams', () => {
    const card = buildLobbyCard(
      inState('admitted', {
        admittedBy: anAgent(),
        meetingProblem: { step: 'admit', at: '2026-03-02T09:34:00.000Z' },
      }),
      NOW,
      'en',
      { tabUrl: TAB, joinMeetingUrl: JOIN },
    );
    expect(JSON.stringify(card.body)).toContain('The Teams lobby could not be opened');
    expect(problems(card)).toEqual([]);
  });

  it('offers Join meeting next to Admit for a Teams meeting, and first once admitted', () => {
    const titles = (card: AdaptiveCard) =>
      (card['actions'] as CardElement[]).map((a) =>
        [a['title'], a['url']].filter((x) => typeof x === 'string').join(' '),
      );
    const opts = { tabUrl: TAB, joinMeetingUrl: JOIN };
    expect(titles(buildLobbyCard(waiting(), NOW, 'en', opts)).slice(0, 2)).toEqual([
      'Admit',
      `Join meeting ${JOIN}`,
    ]);
    const admitted = buildLobbyCard(
      inState('admitted', { admittedBy: anAgent() }),
      NOW,
      'en',
      opts,
    );
    expect(titles(admitted)).toEqual([`Join meeting ${JOIN}`, `Open One-Time Call ${TAB}`]);
    expect(JSON.stringify(admitted.body)).toContain('Join the meeting now');
    expect(titles(buildLobbyCard(inState('ended'), NOW, 'en', opts))).toEqual([
      `Open One-Time Call ${TAB}`,
    ]);
    // No Teams meeting: no Join meeting.
    expect(JSON.stringify(buildLobbyCard(waiting(), NOW, 'en', { tabUrl: TAB }))).not.toContain(
      'Join meeting',
    );
  });

  it('asks Teams to refresh a live card when shown (Teams mode only), but not a finished one', () => {
    const live = { tabUrl: TAB, autoRefresh: true };
    expect(buildLobbyCard(waiting(), NOW, 'en', { tabUrl: TAB })['refresh']).toBeUndefined();
    expect(buildLobbyCard(waiting(), NOW, 'en', live)['refresh']).toEqual({
      action: { type: 'Action.Execute', verb: 'refresh', data: { callId: 'call-1' } },
    });
    expect(buildLobbyCard(inState('admitted'), NOW, 'en', live)['refresh']).toBeDefined();
    expect(buildLobbyCard(inState('declined'), NOW, 'en', live)['refresh']).toBeUndefined();
  });

  it('speaks German to a German agent, including the quick messages', () => {
    const text = JSON.stringify(buildLobbyCard(waiting(), NOW, 'de', { tabUrl: TAB }));
    expect(text).toContain('Kunde wartet');
    expect(text).toContain('Ich bin in 2 Minuten bei Ihnen');
    expect(text).toContain('Bitte halten Sie das Gerät bereit');
  });

  it('tells a lobby timeout from a customer who left', () => {
    const left = JSON.stringify(
      buildLobbyCard(inState('abandoned'), NOW, 'en', { tabUrl: TAB, abandonedBy: 'customer' }),
    );
    const timedOut = JSON.stringify(
      buildLobbyCard(inState('abandoned'), NOW, 'en', { tabUrl: TAB, abandonedBy: 'system' }),
    );
    expect(left).toContain('Left the lobby at 10:34.');
    expect(timedOut).toContain('the lobby timed out at 10:34');
  });

  it('never lets typed text become markdown: names go in TextRuns, titles are escaped', () => {
    const card = buildLobbyCard(
      waiting({
        customerName: '[Click me](https://evil.example)',
        title: '**Urgent** [x](https://evil.example)',
      }),
      NOW,
      'en',
      { tabUrl: TAB },
    );
    const text = JSON.stringify(card);
    expect(text).toContain('"type":"TextRun","text":"[Click me](https://evil.example)"');
    expect(text).toContain(
      JSON.stringify(escapeMarkdown('**Urgent** [x](https://evil.example)')).slice(1, -1),
    );
    expect(text).not.toContain('"value":"**Urgent**');
  });

  it("counts SMS messages and waiting minutes with the language's plural rules", () => {
    expect(cardStrings('en').newSms(60, 1)).toBe('SMS (60 characters, 1 message)');
    expect(cardStrings('en').newSms(200, 2)).toBe('SMS (200 characters, 2 messages)');
    expect(cardStrings('de').newSms(60, 1)).toBe('SMS (60 Zeichen, 1 Nachricht)');
    expect(cardStrings('de').newSms(200, 2)).toBe('SMS (200 Zeichen, 2 Nachrichten)');
    expect(cardStrings('en').waitedFor('09:30', 0)).toBe('since 09:30 (less than a minute)');
    expect(cardStrings('de').waitedFor('09:30', 5)).toBe('seit 09:30 (5 Min.)');
    // The card's state names are the tab's.
    expect(cardStrings('de').states['abandoned']).toBe('Wartebereich verlassen');
  });

  it('maps client locales to ours, English when unknown', () => {
    expect(cardLocale('de-DE')).toBe('de');
    expect(cardLocale('de-AT')).toBe('de');
    expect(cardLocale('en-US')).toBe('en');
    expect(cardLocale('fr-FR')).toBe('en');
    expect(cardLocale(undefined)).toBe('en');
  });
});
