import {
  LocalAgentAuthenticator,
  LocalTrust,
  isLocalRequest,
  isLoopback,
} from '../../../bot/src/http/local-agent-auth';

const ORIGIN = 'http://localhost:3978';
const trust = (token?: string) =>
  new LocalTrust({ allowedOrigins: [ORIGIN], hosts: ['calls.example.com'], token });
/** The AppError code `check` throws, or `undefined` when it lets the request through. */
const codeOf = (check: () => void): string | undefined => {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};
const local = (headers: Record<string, string>) => ({
  remoteAddress: '127.0.0.1',
  headers: { host: 'localhost:3978', ...headers },
});

describe('this machine, and only this machine', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['192.168.1.20', false],
    ['::ffff:10.0.0.5', false],
    ['fe80::1', false],
    ['1127.0.0.1', false],
    [undefined, false],
  ])('treats peer %s as loopback: %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });

  it('does not count a loopback peer that forwarded someone else', () => {
    expect(isLocalRequest('127.0.0.1', {})).toBe(true);
    expect(isLocalRequest('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' })).toBe(false);
    expect(isLocalRequest('127.0.0.1', { forwarded: 'for=203.0.113.9' })).toBe(false);
    expect(isLocalRequest('127.0.0.1', { 'x-real-ip': '203.0.113.9' })).toBe(false);
    expect(isLocalRequest('127.0.0.1', { via: '1.1 proxy' })).toBe(false);
    expect(isLocalRequest('127.0.0.1', { 'x-forwarded-host': 'calls.example.com' })).toBe(false);
    expect(isLocalRequest('192.168.1.20', {})).toBe(false);
  });

  it('gives the local agent to a local request for a loopback host name only', async () => {
    const auth = new LocalAgentAuthenticator({ id: 'me', name: 'Me' }, trust());
    await expect(
      auth.authenticate({ remoteAddress: '::1', headers: { host: 'localhost:3978' } }),
    ).resolves.toEqual({ id: 'me', name: 'Me' });
    await expect(
      auth.authenticate({ remoteAddress: '127.0.0.1', headers: { host: '[::1]:3978' } }),
    ).resolves.toMatchObject({ id: 'me' });
    for (const host of ['calls.example.com', 'evil.example', 'rebind.attacker.example:3978']) {
      await expect(
        auth.authenticate({ remoteAddress: '127.0.0.1', headers: { host } }),
      ).rejects.toMatchObject({ code: 'unauthorized' });
    }
    await expect(
      auth.authenticate({ remoteAddress: '192.168.1.20', headers: { host: 'localhost' } }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(
      auth.authenticate({ remoteAddress: '127.0.0.1', headers: {} }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('accepts a browser only from the tab’s own origin', () => {
    const t = trust();
    expect(codeOf(() => t.check(local({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' })))).toBe(
      undefined,
    );
    expect(codeOf(() => t.check(local({ 'sec-fetch-site': 'none' })))).toBeUndefined();
    expect(codeOf(() => t.check(local({ origin: 'http://evil.example' })))).toBe('forbidden');
    expect(codeOf(() => t.check(local({ origin: 'null' })))).toBe('forbidden');
    for (const site of ['cross-site', 'same-site']) {
      expect(codeOf(() => t.check(local({ 'sec-fetch-site': site })))).toBe('forbidden');
    }
  });

  it('with LOCAL_AGENT_TOKEN requires the bearer token, then tolerates a local proxy', () => {
    const t = trust('s3cret-token');
    expect(codeOf(() => t.check(local({})))).toBe('unauthorized');
    expect(codeOf(() => t.check(local({ authorization: 'Bearer wrong-token!' })))).toBe(
      'unauthorized',
    );
    const proxied = local({
      authorization: 'Bearer s3cret-token',
      host: 'agent.example.com',
      'x-forwarded-for': '203.0.113.9',
    });
    expect(codeOf(() => t.check(proxied))).toBeUndefined();
    // The token never opens the door to another machine's socket.
    const remote = { remoteAddress: '10.0.0.5', headers: { authorization: 'Bearer s3cret-token' } };
    expect(codeOf(() => t.check(remote))).toBe('unauthorized');
  });
});
