import type { CallDto, CreateCallResponse, MeResponse } from '@shared';

let next = 1;

/** A call as the API returns it; override what the test is about. */
export function aCall(overrides: Partial<CallDto> = {}): CallDto {
  const id = overrides.id ?? `call-${next++}`;
  return {
    id,
    state: 'scheduled',
    version: 1,
    title: 'Call with customer',
    startsAt: '2026-11-25T09:00:00.000Z',
    durationMinutes: 30,
    expiresAt: '2026-11-25T10:00:00.000Z',
    customerLocale: 'en',
    timeZone: 'Europe/Berlin',
    agent: { id: 'agent-1', name: 'Alex Agent' },
    meetingProvider: 'browser',
    createdAt: '2026-11-25T08:59:00.000Z',
    updatedAt: '2026-11-25T08:59:00.000Z',
    ...overrides,
  };
}

/** What `POST /api/calls` answers. */
export function aCreatedCall(overrides: Partial<CreateCallResponse> = {}): CreateCallResponse {
  const link = overrides.link ?? 'https://calls.example.com/j/abcDEF123';
  const smsText = `${link}\nYour video call: open the link, type your name, wait to be let in.`;
  return {
    call: aCall(),
    link,
    message: { subject: 'Your video call', text: `Hello,\n\nOpen ${link}\n` },
    sms: { text: smsText, encoding: 'gsm7', units: smsText.length, segments: 1 },
    ...overrides,
  };
}

/** What `GET /api/me` answers: by default a Teams agent whose bot chat works. */
export function aMe(overrides: Partial<MeResponse> = {}): MeResponse {
  return {
    agent: { id: 'agent-1', name: 'Alex Agent' },
    mode: 'teams',
    botReachable: true,
    deliveryFailures: [],
    ...overrides,
  };
}

/** A lobby card the bot gave up on. */
export function aDeliveryFailure(
  overrides: Partial<MeResponse['deliveryFailures'][number]> = {},
): MeResponse['deliveryFailures'][number] {
  return {
    callId: 'call-1',
    reason: 'no-conversation',
    attempts: 1,
    at: '2026-11-25T09:05:00.000Z',
    ...overrides,
  };
}
