import {
  LocalAgentAuthenticator,
  isLocalRequest,
  isLoopback,
} from '../../../bot/src/http/local-agent-auth';

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
    expect(isLocalRequest('192.168.1.20', {})).toBe(false);
  });

  it('gives the local agent to a local request for a local host name, and refuses the rest', async () => {
    const auth = new LocalAgentAuthenticator({ id: 'me', name: 'Me' }, ['calls.example.com']);
    await expect(
      auth.authenticate({ remoteAddress: '::1', headers: { host: 'localhost:3978' } }),
    ).resolves.toEqual({ id: 'me', name: 'Me' });
    await expect(
      auth.authenticate({ remoteAddress: '127.0.0.1', headers: { host: 'calls.example.com' } }),
    ).resolves.toMatchObject({ id: 'me' });
    await expect(
      auth.authenticate({ remoteAddress: '192.168.1.20', headers: { host: 'localhost' } }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(
      auth.authenticate({ remoteAddress: '127.0.0.1', headers: { host: 'evil.example' } }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(
      auth.authenticate({ remoteAddress: '127.0.0.1', headers: {} }),
    ).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
