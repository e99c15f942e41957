import { AppError, asAadObjectId, type MeetingActor } from '@shared';
import { GraphAppInstaller } from '../../bot/src/adapters/graph/graph-app-installer';
import { GraphClient, GraphHttpError } from '../../bot/src/adapters/graph/graph-client';
import {
  GraphMeetingProvider,
  wallClock,
  type LobbyTimers,
} from '../../bot/src/adapters/graph/graph-meeting-provider';
import {
  GraphGroupMembership,
  GraphTeamDirectory,
} from '../../bot/src/adapters/graph/graph-team-directory';
import { MsalTokenSource } from '../../bot/src/adapters/graph/msal-token-source';
import { FakeEntra } from '../fakes/fake-entra';
import { FakeGraph } from '../fakes/fake-graph';

const TENANT = '72f988bf-0000-4000-8000-000000000001';
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const ORGANIZER = asAadObjectId('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
const COLLEAGUE = 'cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const NOW = new Date('2026-03-02T08:30:00Z');
const organizer = { id: ORGANIZER, name: 'Alex Agent' };
const appActor: MeetingActor = { organizer };
const newMeeting = {
  title: 'Support call',
  startsAt: '2026-03-02T09:00:00.000Z',
  durationMinutes: 30,
  timeZone: 'Europe/Berlin',
};

let entra: FakeEntra;
let graph: FakeGraph;
beforeAll(async () => {
  [entra, graph] = await Promise.all([FakeEntra.start(), FakeGraph.start()]);
});
afterAll(() => Promise.all([entra.stop(), graph.stop()]));
beforeEach(() => {
  graph.requests.length = 0;
  entra.tokenRequests.length = 0;
});

/** Fires the lobby window by hand instead of waiting. */
class ManualTimers implements LobbyTimers {
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  private next = 0;
  setTimeout(callback: () => void, ms: number): unknown {
    this.next += 1;
    this.pending.set(this.next, { callback, ms });
    return this.next;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const t of due) t.callback();
  }
}

function setup(
  options: { maxRetries?: number; installAppInMeeting?: { teamsAppId: string } } = {},
) {
  const sleeps: number[] = [];
  const timers = new ManualTimers();
  const backgroundErrors: unknown[] = [];
  const tokens = new MsalTokenSource({
    clientId: CLIENT_ID,
    clientSecret: 'test-secret',
    tenantId: TENANT,
    authorityHost: entra.httpsUrl,
    ca: entra.ca,
  });
  const client = new GraphClient({
    tokens,
    baseUrl: graph.url,
    maxRetries: options.maxRetries,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    now: () => NOW.getTime(),
  });
  const provider = new GraphMeetingProvider({
    graph: client,
    now: () => NOW,
    timers,
    onBackgroundError: (e) => backgroundErrors.push(e),
    installAppInMeeting: options.installAppInMeeting,
  });
  return { provider, client, sleeps, timers, backgroundErrors };
}

const ssoToken = (oid: string) =>
  entra.sign({
    oid,
    tid: TENANT,
    aud: CLIENT_ID,
    scp: 'access_as_user',
    exp: Math.floor(NOW.getTime() / 1000) + 3600,
  });

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setImmediate(r));
};

describe('GraphMeetingProvider against a loopback Graph', () => {
  it('creates the event with a Teams meeting, finds its onlineMeeting by join URL and locks it down (app identity)', async () => {
    const { provider } = setup();
    const ref = await provider.create(newMeeting, appActor);

    const event = [...graph.events.values()].at(-1);
    expect(ref).toEqual({
      provider: 'teams',
      meetingId: event?.id,
      onlineMeetingId: event?.onlineMeetingId,
      joinUrl: event?.joinUrl,
    });
    expect(entra.tokenRequests).toHaveLength(1);
    expect(entra.tokenRequests[0]).toMatchObject({
      tenant: TENANT,
      form: {
        grant_type: 'client_credentials',
        client_id: CLIENT_ID,
        client_secret: 'test-secret',
        scope: 'https://graph.microsoft.com/.default',
      },
    });
    expect(graph.calls()).toEqual([
      {
        method: 'POST',
        path: `/users/${ORGANIZER}/events`,
        body: {
          subject: 'Support call',
          start: { dateTime: '2026-03-02T10:00:00', timeZone: 'Europe/Berlin' },
          end: { dateTime: '2026-03-02T10:30:00', timeZone: 'Europe/Berlin' },
          isOnlineMeeting: true,
          onlineMeetingProvider: 'teamsForBusiness',
          allowNewTimeProposals: false,
          responseRequested: false,
          attendees: [],
        },
      },
      {
        method: 'GET',
        path: `/users/${ORGANIZER}/onlineMeetings`,
        query: { $filter: `JoinWebUrl eq '${event?.joinUrl}'` },
      },
      {
        method: 'PATCH',
        path: `/users/${ORGANIZER}/onlineMeetings/${event?.onlineMeetingId}`,
        body: {
          lobbyBypassSettings: { scope: 'organizer', isDialInBypassEnabled: false },
          allowedPresenters: 'organizer',
          allowMeetingChat: 'limited',
        },
      },
    ]);
    for (const r of graph.requests) {
      expect(r.headers['authorization']).toMatch(/^Bearer fake-app-token-\d+$/);
      expect(r.headers['accept']).toBe('application/json');
    }
    expect(graph.requests[0]?.headers['content-type']).toBe('application/json');
    expect(graph.requests[1]?.headers['content-type']).toBeUndefined();
  });

  it("acts on the organizer's behalf (OBO, /me) when the SSO token is the organizer's", async () => {
    const { provider } = setup();
    const assertion = await ssoToken(ORGANIZER);
    await provider.create(newMeeting, { organizer, userAssertion: assertion });

    // MSAL adds its own fields (the OIDC scopes, client capabilities, telemetry); these are the OBO ones.
    expect(entra.tokenRequests.map((r) => r.form)).toEqual([
      expect.objectContaining({
        client_id: CLIENT_ID,
        client_secret: 'test-secret',
        scope: expect.stringMatching(/^https:\/\/graph\.microsoft\.com\/\.default\b/) as unknown,
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
        requested_token_use: 'on_behalf_of',
      }),
    ]);
    expect(
      graph.calls().map((c) => `${c.method} ${c.path.replace(/\/MSpmeeting\d+/, '/{id}')}`),
    ).toEqual([
      'POST /me/events',
      'GET /me/onlineMeetings',
      'PATCH /me/onlineMeetings/{id}',
      'GET /me/onlineMeetings/{id}/getVirtualAppointmentJoinWebUrl',
    ]);
    expect(graph.requests[0]?.headers['authorization']).toMatch(/^Bearer fake-obo-token-\d+$/);
  });

  it("keeps the meeting's Virtual Appointments join URL, fetched on the organizer's behalf", async () => {
    const { provider, backgroundErrors } = setup();
    const ref = await provider.create(newMeeting, {
      organizer,
      userAssertion: await ssoToken(ORGANIZER),
    });
    const online = graph.onlineMeetings.get(ref.onlineMeetingId ?? '');
    expect(ref.customerJoinUrl).toBe(
      `https://visit.teams.microsoft.com/webrtc-svc/api/route?tid=t&convId=${encodeURIComponent(online?.threadId ?? '')}`,
    );
    expect(ref.joinUrl).toBe(online?.joinWebUrl);
    expect(backgroundErrors).toEqual([]);
  });

  it('falls back to the plain join URL when the tenant gives no Virtual Appointments URL, and says why', async () => {
    const { provider, backgroundErrors } = setup();
    graph.virtualAppointments = false;
    try {
      const ref = await provider.create(newMeeting, {
        organizer,
        userAssertion: await ssoToken(ORGANIZER),
      });
      expect(ref.customerJoinUrl).toBeUndefined();
      expect(ref.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
      expect(backgroundErrors).toHaveLength(1);
      const cause = (backgroundErrors[0] as AppError).cause as GraphHttpError;
      expect(cause.status).toBe(403);
      expect(cause.requestId).toMatch(/^req-\d+$/);
    } finally {
      graph.virtualAppointments = true;
    }
  });

  it('does not ask for a Virtual Appointments URL with the app identity (Graph serves it delegated only)', async () => {
    const { provider, backgroundErrors } = setup();
    const ref = await provider.create(newMeeting, appActor);
    expect(ref.customerJoinUrl).toBeUndefined();
    expect(graph.calls().some((c) => c.path.endsWith('/getVirtualAppointmentJoinWebUrl'))).toBe(
      false,
    );
    expect(backgroundErrors).toEqual([]);
  });

  it("uses the app identity when a colleague's token acts on someone else's meeting", async () => {
    const { provider } = setup();
    const ref = await provider.create(newMeeting, appActor);
    graph.requests.length = 0;
    entra.tokenRequests.length = 0;
    await provider.lockLobby(ref, { organizer, userAssertion: await ssoToken(COLLEAGUE) });
    // No on-behalf-of exchange: the cached app token is used.
    expect(entra.tokenRequests).toHaveLength(0);
    expect(graph.requests[0]?.headers['authorization']).toMatch(/^Bearer fake-app-token-\d+$/);
    expect(graph.calls()[0]?.path).toBe(
      `/users/${ORGANIZER}/onlineMeetings/${ref.onlineMeetingId}`,
    );
  });

  it('re-reads the event when the create answer lacks the join URL', async () => {
    const { provider } = setup();
    graph.omitJoinUrlOnce = true;
    const ref = await provider.create(newMeeting, appActor);
    expect(ref.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(graph.calls()[1]).toEqual({
      method: 'GET',
      path: `/users/${ORGANIZER}/events/${ref.meetingId}`,
      query: { $select: 'id,onlineMeeting' },
    });
  });

  it('admits: opens the lobby to everyone for the window, then locks it again when the window ends', async () => {
    const { provider, timers } = setup();
    const ref = await provider.create(newMeeting, appActor);
    graph.requests.length = 0;

    const admission = await provider.admit(ref, appActor);
    expect(admission).toEqual({ joinUrl: ref.joinUrl, lobbyOpenUntil: '2026-03-02T08:40:00.000Z' });
    expect(graph.calls()).toEqual([
      {
        method: 'PATCH',
        path: `/users/${ORGANIZER}/onlineMeetings/${ref.onlineMeetingId}`,
        body: { lobbyBypassSettings: { scope: 'everyone', isDialInBypassEnabled: false } },
      },
    ]);
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([600_000]);

    timers.fireAll();
    await waitFor(() => graph.requests.length === 2);
    expect(graph.calls()[1]).toEqual({
      method: 'PATCH',
      path: `/users/${ORGANIZER}/onlineMeetings/${ref.onlineMeetingId}`,
      body: { lobbyBypassSettings: { scope: 'organizer', isDialInBypassEnabled: false } },
    });
    expect(
      graph.onlineMeetings.get(ref.onlineMeetingId ?? '')?.settings['lobbyBypassSettings'],
    ).toEqual({
      scope: 'organizer',
      isDialInBypassEnabled: false,
    });
  });

  it('locks the lobby early (customer seen in the meeting) and drops the pending timed lock', async () => {
    const { provider, timers } = setup();
    const ref = await provider.create(newMeeting, appActor);
    await provider.admit(ref, appActor);
    graph.requests.length = 0;
    await provider.lockLobby(ref, appActor);
    expect(timers.pending.size).toBe(0);
    expect(graph.calls()).toHaveLength(1);
  });

  it('finds the onlineMeeting by join URL when the reference lacks its id', async () => {
    const { provider } = setup();
    const { onlineMeetingId: _omit, ...ref } = await provider.create(newMeeting, appActor);
    graph.requests.length = 0;
    await provider.lockLobby(ref, appActor);
    expect(graph.calls().map((c) => c.method)).toEqual(['GET', 'PATCH']);
  });

  it('closes: lobby back to organizer, event cancelled; closing again is fine', async () => {
    const { provider } = setup();
    const ref = await provider.create(newMeeting, appActor);
    graph.requests.length = 0;
    await provider.close(ref, appActor);
    expect(graph.calls()).toEqual([
      {
        method: 'PATCH',
        path: `/users/${ORGANIZER}/onlineMeetings/${ref.onlineMeetingId}`,
        body: { lobbyBypassSettings: { scope: 'organizer', isDialInBypassEnabled: false } },
      },
      {
        method: 'POST',
        path: `/users/${ORGANIZER}/events/${ref.meetingId}/cancel`,
        body: { comment: 'This one-time call has ended.' },
      },
    ]);
    expect(graph.events.get(ref.meetingId)?.cancelled).toBe(true);
    await expect(provider.close(ref, appActor)).resolves.toBeUndefined();
  });

  it('deletes the event when Exchange refuses to cancel it (no attendees to notify)', async () => {
    const { provider } = setup();
    const ref = await provider.create(newMeeting, appActor);
    graph.requests.length = 0;
    graph.script({
      method: 'POST',
      path: /\/cancel$/,
      status: 400,
      body: {
        error: { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' },
      },
    });
    await provider.close(ref, appActor);
    expect(graph.calls().map((c) => `${c.method} ${c.path}`)).toEqual([
      `PATCH /users/${ORGANIZER}/onlineMeetings/${ref.onlineMeetingId}`,
      `POST /users/${ORGANIZER}/events/${ref.meetingId}/cancel`,
      `DELETE /users/${ORGANIZER}/events/${ref.meetingId}`,
    ]);
    expect(graph.events.has(ref.meetingId)).toBe(false);
  });

  it('honours 429 Retry-After and retries', async () => {
    const { provider, sleeps } = setup();
    graph.script({
      method: 'POST',
      path: /\/events$/,
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { error: { code: 'TooManyRequests' } },
    });
    const ref = await provider.create(newMeeting, appActor);
    expect(ref.joinUrl).toBeDefined();
    expect(sleeps).toEqual([7000]);
    expect(graph.calls().filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('reads Retry-After as an HTTP date, and gives up at once when Graph asks for longer than the cap', async () => {
    const { provider, sleeps } = setup();
    const inTwelveSeconds = new Date(NOW.getTime() + 12_000).toUTCString();
    graph.script({
      method: 'POST',
      path: /\/events$/,
      status: 429,
      headers: { 'Retry-After': inTwelveSeconds },
    });
    await provider.create(newMeeting, appActor);
    expect(sleeps).toEqual([12_000]);

    graph.requests.length = 0;
    graph.script({
      method: 'POST',
      path: /\/events$/,
      status: 429,
      headers: { 'Retry-After': '3600' },
      body: { error: { code: 'TooManyRequests' } },
    });
    const error: unknown = await provider.create(newMeeting, appActor).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('upstream-unavailable');
    expect((error as AppError).message).toMatch(/\(429\)/);
    expect(graph.requests).toHaveLength(1);
  });

  it('retries 5xx with backoff and gives up after the bound with upstream-unavailable', async () => {
    const { provider, sleeps } = setup({ maxRetries: 2 });
    graph.script({
      method: 'POST',
      path: /\/events$/,
      status: 503,
      times: 3,
      body: { error: { code: 'ServiceUnavailable' } },
    });
    const error: unknown = await provider.create(newMeeting, appActor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('upstream-unavailable');
    expect((error as AppError).cause).toBeInstanceOf(GraphHttpError);
    expect(sleeps).toEqual([500, 1000]);
    expect(graph.requests).toHaveLength(3);
  });

  it('turns a 403 into a forbidden error the agent can act on, without retrying', async () => {
    const { provider } = setup();
    graph.script({
      method: 'GET',
      path: /\/onlineMeetings$/,
      status: 403,
      body: { error: { code: 'Forbidden', message: 'Application access policy not found' } },
    });
    const error: unknown = await provider.create(newMeeting, appActor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('forbidden');
    expect(appError.message).toMatch(/find the Teams meeting by its join URL/);
    expect(appError.message).toMatch(/permission/);
    expect(appError.message).toMatch(/application access policy/);
    expect(appError.cause).toMatchObject({ status: 403, graphCode: 'Forbidden' });
    expect(graph.calls().filter((c) => c.method === 'GET')).toHaveLength(1);
  });

  it('deletes the event again when the meeting cannot be locked down, so no open meeting is left behind', async () => {
    const { provider } = setup();
    graph.script({
      method: 'PATCH',
      path: /onlineMeetings/,
      status: 403,
      body: { error: { code: 'Forbidden' } },
    });
    const before = graph.events.size;
    const error: unknown = await provider.create(newMeeting, appActor).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('forbidden');
    expect(graph.calls().map((c) => c.method)).toEqual(['POST', 'GET', 'PATCH', 'DELETE']);
    expect(graph.calls().at(-1)?.path).toMatch(
      new RegExp(`^/users/${ORGANIZER}/events/AAMkAGevent\\d+=$`),
    );
    expect(graph.events.size).toBe(before);
  });

  it('turns a failed on-behalf-of exchange (no consent) into forbidden', async () => {
    const { provider } = setup();
    entra.failNextToken({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'AADSTS65001: The user or administrator has not consented',
      },
    });
    const error: unknown = await provider
      .create(newMeeting, { organizer, userAssertion: await ssoToken(ORGANIZER) })
      .catch((e: unknown) => e);
    expect((error as AppError).code).toBe('forbidden');
    expect((error as AppError).message).toMatch(/consent/);
    expect(graph.requests).toHaveLength(0);
  });

  it('reuses the app token until shortly before it expires', async () => {
    const { provider } = setup();
    await provider.create(newMeeting, appActor);
    await provider.create(newMeeting, appActor);
    expect(entra.tokenRequests).toHaveLength(1);
  });

  it('reports a failed timed lock through onBackgroundError', async () => {
    const { provider, timers, backgroundErrors } = setup({ maxRetries: 0 });
    const ref = await provider.create(newMeeting, appActor);
    await provider.admit(ref, appActor);
    graph.script({
      method: 'PATCH',
      path: /onlineMeetings/,
      status: 500,
      body: { error: { code: 'InternalServerError' } },
    });
    timers.fireAll();
    await waitFor(() => backgroundErrors.length === 1);
    expect((backgroundErrors[0] as AppError).code).toBe('upstream-unavailable');
  });
});

describe('GraphMeetingProvider: the app in the meeting chat (for meeting events)', () => {
  const TEAMS_APP_ID = '0d1f6a4e-7f44-4c0c-9c52-3a1c7e9b1a01';
  beforeAll(() => graph.catalog.set(TEAMS_APP_ID, 'catalog-app-1'));

  it('finds the app in the tenant catalog once and installs it in each meeting chat with RSC consent', async () => {
    const { provider, backgroundErrors } = setup({
      installAppInMeeting: { teamsAppId: TEAMS_APP_ID },
    });
    await provider.create(newMeeting, appActor);
    await provider.create(newMeeting, appActor);
    const calls = graph
      .calls()
      .filter((c) => c.path.startsWith('/appCatalogs') || c.path.startsWith('/chats'));
    expect(calls[0]).toEqual({
      method: 'GET',
      path: '/appCatalogs/teamsApps',
      query: { $filter: `externalId eq '${TEAMS_APP_ID}'` },
    });
    expect(calls.filter((c) => c.path === '/appCatalogs/teamsApps')).toHaveLength(1);
    const install = calls[1];
    expect(install?.path).toMatch(/^\/chats\/19:meeting_fake\d+@thread\.v2\/installedApps$/);
    expect(install?.body).toEqual({
      'teamsApp@odata.bind': `${graph.url}/appCatalogs/teamsApps/catalog-app-1`,
      consentedPermissionSet: {
        resourceSpecificPermissions: [
          { permissionValue: 'OnlineMeeting.ReadBasic.Chat', permissionType: 'Application' },
          { permissionValue: 'OnlineMeetingParticipant.Read.Chat', permissionType: 'Application' },
        ],
      },
    });
    expect(calls.filter((c) => c.path.endsWith('/installedApps'))).toHaveLength(2);
    expect(backgroundErrors).toEqual([]);
  });

  it('still creates the meeting when the app cannot be installed, and says why', async () => {
    const { provider, backgroundErrors } = setup({
      installAppInMeeting: { teamsAppId: 'not-published' },
    });
    const ref = await provider.create(newMeeting, appActor);
    expect(ref.onlineMeetingId).toBeDefined();
    expect(backgroundErrors).toHaveLength(1);
    expect((backgroundErrors[0] as AppError).message).toMatch(/not in the tenant app catalog/);
  });
});

describe('wallClock', () => {
  it("installs the app in an agent's personal scope from the org catalog; twice is fine", async () => {
    const { client } = setup();
    graph.catalog.set('manifest-for-users', 'catalog-users-1');
    const installer = new GraphAppInstaller({ graph: client, teamsAppId: 'manifest-for-users' });
    expect(await installer.installFor(ORGANIZER)).toBe('installed');
    expect(await installer.installFor(ORGANIZER)).toBe('already-installed');
    expect(graph.userApps.get(ORGANIZER)).toEqual(['catalog-users-1']);
    await expect(
      new GraphAppInstaller({ graph: client, teamsAppId: 'not-published' }).installFor(ORGANIZER),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('renders the local time of an instant in a zone', () => {
    expect(wallClock('2026-07-01T22:15:00Z', 'Europe/Berlin')).toBe('2026-07-02T00:15:00');
    expect(wallClock('2026-03-02T09:00:00Z', 'UTC')).toBe('2026-03-02T09:00:00');
  });
});

describe('GraphTeamDirectory and GraphGroupMembership', () => {
  const TEAM = '19-team-id';
  beforeAll(() => {
    graph.teams.set(TEAM, [ORGANIZER]);
    graph.groups.set(ORGANIZER, ['group-1']);
  });

  it('asks Graph for the member by user id and caches the answer', async () => {
    const { client } = setup();
    const directory = new GraphTeamDirectory({ graph: client, now: () => NOW.getTime() });
    await expect(directory.isMember(ORGANIZER, TEAM)).resolves.toBe(true);
    await expect(directory.isMember(ORGANIZER, TEAM)).resolves.toBe(true);
    await expect(directory.isMember(asAadObjectId(COLLEAGUE), TEAM)).resolves.toBe(false);
    expect(graph.calls()).toEqual([
      {
        method: 'GET',
        path: `/teams/${TEAM}/members`,
        query: { $filter: `(microsoft.graph.aadUserConversationMember/userId eq '${ORGANIZER}')` },
      },
      {
        method: 'GET',
        path: `/teams/${TEAM}/members`,
        query: { $filter: `(microsoft.graph.aadUserConversationMember/userId eq '${COLLEAGUE}')` },
      },
    ]);
  });

  it('answers false for an unknown team and upstream-unavailable when Graph refuses', async () => {
    const { client } = setup();
    const directory = new GraphTeamDirectory({ graph: client });
    await expect(directory.isMember(ORGANIZER, 'no-such-team')).resolves.toBe(false);
    graph.script({
      path: /\/teams\/other\/members$/,
      status: 403,
      body: { error: { code: 'Forbidden' } },
    });
    const error: unknown = await directory.isMember(ORGANIZER, 'other').catch((e: unknown) => e);
    expect((error as AppError).code).toBe('upstream-unavailable');
    expect((error as AppError).message).toMatch(/TeamMember|permission/);
  });

  it('checks a group with checkMemberGroups', async () => {
    const { client } = setup();
    const membership = new GraphGroupMembership({ graph: client });
    await expect(membership.isMemberOf(ORGANIZER, 'group-1')).resolves.toBe(true);
    await expect(membership.isMemberOf(ORGANIZER, 'group-2')).resolves.toBe(false);
    expect(graph.calls()[0]).toEqual({
      method: 'POST',
      path: `/users/${ORGANIZER}/checkMemberGroups`,
      body: { groupIds: ['group-1'] },
    });
  });
});
