import { FakeClock, startTestServer, type TestServer } from './harness';
import { AgentApi, Browser } from './http-client';

let server: TestServer;
let clock: FakeClock;
let api: AgentApi;

beforeEach(async () => {
  clock = new FakeClock(new Date('2026-11-25T09:00:00.000Z'));
  server = await startTestServer({ overrides: { clock } });
  api = new AgentApi(server.url);
});
afterEach(async () => {
  await server.close();
});

const events = async (id: string) => (await server.deps.store.events(id)).map((e) => e.type);

describe('the whole customer journey over HTTP', () => {
  it('goes from link to lobby to admitted call to a dead link', async () => {
    const { id, path, link } = await api.create({ title: 'Boiler check', customerLocale: 'en' });
    expect(link.length).toBeLessThan(60);
    const customer = new Browser(server.url);

    const landing = await customer.get(path);
    expect(landing.status).toBe(200);
    const html = await landing.text();
    expect(html).toContain('Join the call');
    expect(html).toContain('Boiler check');
    // The browser call: the page says what happens, and never sends the customer to get Teams.
    expect(html).toContain('Talk right here in your browser');
    expect(html).toContain('camera and microphone');
    expect(html).not.toContain('Microsoft Teams');
    expect((await api.call('GET', `/api/calls/${id}`)).json['call']).toMatchObject({
      meetingProvider: 'browser',
    });
    expect(landing.headers.get('referrer-policy')).toBe('no-referrer');
    expect(landing.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const join = await customer.postForm(path, { name: 'Anna Schmidt' });
    expect(join.status).toBe(303);
    expect(join.headers.get('location')).toBe(`${path}/lobby`);
    const setCookie = join.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toContain(`Path=${path}`);

    const lobby = await customer.get(`${path}/lobby`);
    expect(lobby.status).toBe(200);
    expect(await lobby.text()).toContain('Your agent has been told you are here');

    const waiting = await customer.get(`${path}/status`, { accept: 'application/json' });
    expect(await waiting.json()).toMatchObject({
      state: 'waiting',
      agentName: 'Local agent',
      waitedSeconds: 0,
    });
    const listed = await api.call('GET', '/api/calls?status=active');
    expect(listed.json['calls']).toEqual([
      expect.objectContaining({ id, state: 'waiting', customerName: 'Anna Schmidt' }),
    ]);

    clock.advance(42);
    expect(
      await (await customer.get(`${path}/status`, { accept: 'application/json' })).json(),
    ).toMatchObject({ waitedSeconds: 42 });

    const admit = await api.call('POST', `/api/calls/${id}/admit`);
    expect(admit.status).toBe(200);
    expect(admit.json['call']).toMatchObject({
      state: 'admitted',
      admittedBy: { name: 'Local agent' },
    });

    const admitted = await (
      await customer.get(`${path}/status`, { accept: 'application/json' })
    ).json();
    expect(admitted).toMatchObject({
      state: 'admitted',
      next: `${server.deps.settings.publicBaseUrl}${path}/call`,
    });
    expect((await customer.get(`${path}/lobby`)).headers.get('location')).toBe(`${path}/call`);

    const callPage = await customer.get(`${path}/call`);
    expect(callPage.status).toBe(200);
    expect(await callPage.text()).toContain('Your video call');
    expect(
      (
        await customer.request('POST', `${path}/present`, {
          headers: { accept: 'application/json' },
        })
      ).status,
    ).toBe(200);
    expect(await api.state(id)).toBe('in_call');

    const confirm = await customer.get(`${path}/leave`);
    expect(await confirm.text()).toContain('Yes, leave the call');
    expect(await api.state(id)).toBe('in_call');
    const leave = await customer.postForm(`${path}/leave`, {});
    expect(leave.status).toBe(303);
    expect(await api.state(id)).toBe('ended');

    const after = await customer.get(`${path}/lobby`);
    expect(after.status).toBe(410);
    expect(await after.text()).toContain('This call has ended');
    const anyone = await new Browser(server.url).get(path);
    expect(anyone.status).toBe(410);
    expect(await anyone.text()).toContain('This call has ended');
    expect(await events(id)).toEqual(['created', 'claimed', 'admitted', 'joined', 'ended']);
  });

  it('answers the landing page as JSON for integrators', async () => {
    const { path } = await api.create({ title: 'JSON' });
    const res = await new Browser(server.url).get(path, { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'scheduled',
      title: 'JSON',
      agentName: 'Local agent',
    });
  });

  it('claims through JSON too, with the same cookie', async () => {
    const { path } = await api.create();
    const customer = new Browser(server.url);
    const res = await customer.request('POST', path, {
      body: JSON.stringify({ name: 'Jo' }),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ state: 'waiting' });
    expect(customer.hasCookies()).toBe(true);
  });

  it('shows a declined customer the reason the agent gave', async () => {
    const { id, path } = await api.create();
    const customer = new Browser(server.url);
    await customer.postForm(path, { name: 'Anna' });
    const res = await api.call('POST', `/api/calls/${id}/decline`, {
      reason: 'Please call back after 3 pm',
    });
    expect(res.json['call']).toMatchObject({ state: 'declined' });
    const page = await customer.get(`${path}/lobby`);
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain('Your agent cannot take the call now');
    expect(html).toContain('Please call back after 3 pm');
    const stranger = await new Browser(server.url).get(path);
    expect(stranger.status).toBe(410);
    expect(await stranger.text()).not.toContain('Please call back after 3 pm');
  });

  it('lets a waiting customer leave the lobby, which kills the link', async () => {
    const { id, path } = await api.create();
    const customer = new Browser(server.url);
    await customer.postForm(path, { name: 'Anna' });
    await customer.postForm(`${path}/leave`, {});
    expect(await api.state(id)).toBe('abandoned');
    expect((await customer.get(path)).status).toBe(303);
    expect((await customer.get(`${path}/lobby`)).status).toBe(410);
  });

  it('shows the agent message on the waiting customer status', async () => {
    const { id, path } = await api.create();
    const customer = new Browser(server.url);
    await customer.postForm(path, { name: 'Anna' });
    const sent = await api.call('POST', `/api/calls/${id}/message`, {
      text: "I'll be with you in 2 minutes",
    });
    expect(sent.status).toBe(200);
    const status = await (
      await customer.get(`${path}/status`, { accept: 'application/json' })
    ).json();
    expect(status).toMatchObject({
      state: 'waiting',
      lobbyMessage: { text: "I'll be with you in 2 minutes" },
    });
    expect(await (await customer.get(`${path}/lobby`)).text()).toContain('2 minutes');
  });
});

describe('link semantics', () => {
  it('lets scanners and previews GET and HEAD a link any number of times without claiming it', async () => {
    const { id, path } = await api.create();
    const agents = [
      'Mozilla/5.0 (compatible; Microsoft Office Protocol Discovery)',
      'Slackbot-LinkExpanding 1.0',
      'WhatsApp/2.23',
      'curl/8',
    ];
    for (const ua of agents) {
      const scanner = new Browser(server.url, { 'user-agent': ua });
      expect((await scanner.get(path)).status).toBe(200);
      expect((await scanner.request('HEAD', path)).status).toBe(200);
      expect((await scanner.get(`${path}/lobby`)).status).toBe(303);
      expect((await scanner.get(`${path}/leave`)).status).toBe(303);
      expect((await scanner.get(`${path}/status`, { accept: 'application/json' })).status).toBe(
        403,
      );
    }
    expect(await api.state(id)).toBe('scheduled');
    expect(await events(id)).toEqual(['created']);
  });

  it('keeps a claimed link for the browser that claimed it', async () => {
    const { path } = await api.create();
    const first = new Browser(server.url);
    const second = new Browser(server.url);
    expect((await first.postForm(path, { name: 'Anna' })).status).toBe(303);

    const landing = await second.get(path);
    expect(landing.status).toBe(409);
    expect(await landing.text()).toContain('This link is open in another window');
    const steal = await second.postForm(path, { name: 'Mallory' });
    expect(steal.status).toBe(409);
    expect((await second.get(`${path}/lobby`)).status).toBe(409);
    expect((await second.get(`${path}/status`, { accept: 'application/json' })).status).toBe(409);

    // The same browser (after a reload, a flaky network, a second tap on Join) is back in its lobby.
    expect((await first.get(path)).headers.get('location')).toBe(`${path}/lobby`);
    const again = await first.postForm(path, { name: 'Anna' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`${path}/lobby`);
    expect((await first.get(`${path}/lobby`)).status).toBe(200);
  });

  it('lets exactly one of fifty browsers claim a link at once', async () => {
    const { id, path } = await api.create();
    const browsers = Array.from({ length: 50 }, () => new Browser(server.url));
    const results = await Promise.all(
      browsers.map((b, i) => b.postForm(path, { name: `Customer ${i}` })),
    );
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(49);
    expect(browsers.filter((b) => b.hasCookies())).toHaveLength(1);
    expect((await events(id)).filter((t) => t === 'claimed')).toHaveLength(1);
  });

  it('lets exactly one of two agents admit; the other gets 409 with the state', async () => {
    const { id, path } = await api.create();
    await new Browser(server.url).postForm(path, { name: 'Anna' });
    const [a, b] = await Promise.all([
      api.call('POST', `/api/calls/${id}/admit`),
      api.call('POST', `/api/calls/${id}/admit`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.json.error).toMatchObject({
      code: 'state-conflict',
      details: { state: 'admitted' },
    });
    expect((await events(id)).filter((t) => t === 'admitted')).toHaveLength(1);
  });

  it('expires an unclaimed link after the meeting end plus the grace', async () => {
    const { id, path } = await api.create({ durationMinutes: 30 });
    clock.advance(30 * 60 + 60 * 60 - 1);
    expect((await new Browser(server.url).get(path)).status).toBe(200);
    clock.advance(1);
    const page = await new Browser(server.url).get(path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This link has expired');
    // GET showed it as expired without changing it; the sweeper makes it so.
    expect(await api.state(id)).toBe('scheduled');
    expect(await server.sweep()).toMatchObject({ expired: 1 });
    expect(await api.state(id)).toBe('expired');
    expect((await new Browser(server.url).postForm(path, { name: 'Late' })).status).toBe(410);
  });

  it('times out a customer who waited past the lobby timeout', async () => {
    const { id, path } = await api.create();
    const customer = new Browser(server.url);
    await customer.postForm(path, { name: 'Anna' });
    clock.advance(15 * 60);
    expect(await server.sweep()).toMatchObject({ timedOut: 1 });
    expect(await api.state(id)).toBe('timed_out');
    expect((await customer.get(`${path}/lobby`)).status).toBe(410);
    expect((await api.call('POST', `/api/calls/${id}/admit`)).status).toBe(409);
  });

  it('shows a revoked link as cancelled and refuses a claim', async () => {
    const { id, path } = await api.create();
    expect((await api.call('POST', `/api/calls/${id}/revoke`)).json['call']).toMatchObject({
      state: 'revoked',
    });
    const page = await new Browser(server.url).get(path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This link was cancelled');
    expect((await new Browser(server.url).postForm(path, { name: 'Anna' })).status).toBe(410);
  });

  it('does not let a customer burn a link a day early', async () => {
    const { id, path } = await api.create({ startsAt: '2026-11-26T09:00:00.000Z' });
    const page = await new Browser(server.url).get(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Your call has not started yet');
    expect((await new Browser(server.url).postForm(path, { name: 'Early' })).status).toBe(409);
    expect(await api.state(id)).toBe('scheduled');
    clock.set('2026-11-26T08:45:00.000Z');
    expect((await new Browser(server.url).postForm(path, { name: 'On time' })).status).toBe(303);
  });

  it('reissues a dropped call: the old link dies, the new one works, two clicks make one link', async () => {
    const { id, path } = await api.create({ title: 'Dropped', customerLocale: 'de' });
    await new Browser(server.url).postForm(path, { name: 'Anna' });
    await api.call('POST', `/api/calls/${id}/admit`);
    const [a, b] = await Promise.all([
      api.call('POST', `/api/calls/${id}/reissue`),
      api.call('POST', `/api/calls/${id}/reissue`),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const fresh = (a.status === 201 ? a : b).json as unknown as {
      call: { id: string; title: string; customerLocale: string; reissuedFrom: string };
      link: string;
    };
    expect(fresh.call).toMatchObject({ title: 'Dropped', customerLocale: 'de', reissuedFrom: id });
    expect(await api.state(id)).toBe('ended');
    expect((await new Browser(server.url).get(path)).status).toBe(410);
    const newPath = new URL(fresh.link).pathname;
    expect((await new Browser(server.url).postForm(newPath, { name: 'Anna' })).status).toBe(303);
  });
});

describe('customer pages speak the customer language', () => {
  it('uses the language the agent chose, and ?lang= switches it', async () => {
    const { path } = await api.create({ customerLocale: 'de' });
    const de = await (await new Browser(server.url).get(path)).text();
    expect(de).toContain('<html lang="de"');
    expect(de).toContain('Anruf beitreten');
    expect(de).toMatch(/hreflang="en">English<\/a>/);
    const en = await (await new Browser(server.url).get(`${path}?lang=en`)).text();
    expect(en).toContain('Join the call');
    expect(en).toMatch(/hreflang="de">Deutsch<\/a>/);
  });

  it('uses Accept-Language for an unknown link', async () => {
    const res = await new Browser(server.url, { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' }).get(
      '/j/AAAAAAAAAAAAAAAAAAAAAQ',
    );
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Wir finden diesen Link nicht');
  });

  it('answers unknown and malformed codes with the same page', async () => {
    const a = await new Browser(server.url).get('/j/AAAAAAAAAAAAAAAAAAAAAQ');
    const b = await new Browser(server.url).get('/j/not-a-code');
    expect(a.status).toBe(404);
    expect(b.status).toBe(404);
    const strip = (s: string) =>
      s
        .replace(/nonce-[^']+'/g, '')
        .replace(/nonce="[^"]+"/g, '')
        .replace(/\/j\/[^"?]+/g, '');
    expect(strip(await a.text())).toBe(strip(await b.text()));
  });
});
