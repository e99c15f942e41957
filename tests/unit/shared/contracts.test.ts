import {
  ClaimFormSchema,
  CreateCallRequestSchema,
  CustomerNameSchema,
  DeclineRequestSchema,
  ListCallsQuerySchema,
  describeIssues,
} from '@shared';

describe('customer name', () => {
  it.each([
    ['Anna Schmidt', 'Anna Schmidt'],
    ['  Anna  ', 'Anna'],
    ['Zoë Ørsted-Łukasz', 'Zoë Ørsted-Łukasz'],
    ['李小龍', '李小龍'],
    ['a'.repeat(80), 'a'.repeat(80)],
    ['مه\u200Cسا', 'مه\u200Cسا'],
    ['\u{1F469}\u200D\u{1F4BB} Dev', '\u{1F469}\u200D\u{1F4BB} Dev'],
    ['\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'],
    ['\u{1F44B}\u{1F3FD} Sam', '\u{1F44B}\u{1F3FD} Sam'],
    ['\u{1F1E9}\u{1F1EA}', '\u{1F1E9}\u{1F1EA}'],
    ['क्\u200Dष', 'क्\u200Dष'],
    ['Zoe\u0308', 'Zo\u00EB'],
    ['Nguye\u0302\u0303n', 'Nguy\u1EC5n'],
  ])('accepts %j', (input, expected) => {
    expect(CustomerNameSchema.parse(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'only spaces'],
    ['a'.repeat(81), 'too long'],
    ['Anna\u0000', 'a NUL'],
    ['Anna\nSchmidt', 'a line break'],
    ['Anna\u202Etimdhcs', 'a bidi override'],
    ['Anna\u200B', 'a zero-width space'],
    ['\u3164', 'a Hangul filler (renders blank)'],
    ['\u2800', 'a blank Braille pattern'],
    ['\u00AD', 'a soft hyphen alone'],
    ['Anna\u00ADSchmidt', 'a soft hyphen'],
    ['\u200B\u200B', 'zero-width spaces only'],
    ['\u0301', 'a lone combining mark'],
    ['\u200D', 'a joiner alone'],
    ['Anna \u200C', 'a joiner at the edge of a word'],
    ['Anna\u2066x', 'a bidi isolate'],
    ['Anna\u{E0041}', 'a tag character'],
    ['Anna\uD800', 'an unpaired surrogate'],
    ['Anna\uDC00Schmidt', 'an unpaired low surrogate'],
    ['Anna\uE000', 'a private-use character'],
    ['Anna\u2028Schmidt', 'a line separator'],
    ['\u3000\u00A0', 'only wide spaces'],
  ])('refuses %j (%s)', (input) => {
    expect(CustomerNameSchema.safeParse(input).success).toBe(false);
  });

  it('refuses a form without a name or with a non-string name', () => {
    expect(ClaimFormSchema.safeParse({}).success).toBe(false);
    expect(ClaimFormSchema.safeParse({ name: ['a', 'b'] }).success).toBe(false);
  });
});

describe('create-call request', () => {
  it('accepts an empty body: every field has a default', () => {
    expect(CreateCallRequestSchema.parse({})).toEqual({});
  });

  it('accepts a full request', () => {
    const request = {
      title: 'Boiler',
      startsAt: '2026-11-25T14:30:00+01:00',
      durationMinutes: 45,
      customerLocale: 'de',
      timeZone: 'Europe/Berlin',
      team: { id: '19:abc@thread.tacv2', name: 'Support', channelId: '19:abc@thread.tacv2' },
    };
    expect(CreateCallRequestSchema.parse(request)).toEqual(request);
  });

  it('names every bad field in one message', () => {
    const result = CreateCallRequestSchema.safeParse({
      title: '',
      startsAt: 'tomorrow',
      durationMinutes: 2,
      customerLocale: 'fr',
      timeZone: 'Mars/Olympus',
      color: 'red',
    });
    expect(result.success).toBe(false);
    const text = describeIssues(result.error!);
    for (const key of [
      'title',
      'startsAt',
      'durationMinutes',
      'customerLocale',
      'timeZone',
      'color',
    ]) {
      expect(text).toContain(key);
    }
  });

  it('refuses a fractional duration and a duration over 8 hours', () => {
    expect(CreateCallRequestSchema.safeParse({ durationMinutes: 30.5 }).success).toBe(false);
    expect(CreateCallRequestSchema.safeParse({ durationMinutes: 481 }).success).toBe(false);
  });
});

describe('other requests', () => {
  it('accepts a decline with or without a reason, but not an empty one', () => {
    expect(DeclineRequestSchema.parse({})).toEqual({});
    expect(DeclineRequestSchema.parse({ reason: 'Back in 10 minutes' })).toEqual({
      reason: 'Back in 10 minutes',
    });
    expect(DeclineRequestSchema.safeParse({ reason: ' ' }).success).toBe(false);
  });

  it('fills list defaults and coerces the limit from a query string', () => {
    expect(ListCallsQuerySchema.parse({})).toEqual({ scope: 'mine', status: 'all', limit: 100 });
    expect(ListCallsQuerySchema.parse({ status: 'active', limit: '5' })).toMatchObject({
      limit: 5,
    });
    expect(ListCallsQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
    expect(ListCallsQuerySchema.safeParse({ status: 'done' }).success).toBe(false);
  });
});
