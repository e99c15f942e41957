import { createHmac } from 'node:crypto';
import { TurnRestIceServers } from '../../../bot/src/adapters/system/turn-rest-ice-servers';
import { ConfigError, loadConfig } from '../../../bot/src/config';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('browser call configuration', () => {
  it('needs no ICE servers by default (one machine or one LAN)', () => {
    expect(loadConfig({}).browserCall).toEqual({
      iceServers: [],
      turnSecret: undefined,
      iceTransportPolicy: 'all',
      reconnectSeconds: 120,
    });
  });

  it('reads comma-separated stun:, turn: and turns: URLs, the secret, the policy and the limit', () => {
    const config = loadConfig({
      ICE_SERVERS:
        ' stun:stun.contoso.com , turn:turn.contoso.com:3478?transport=udp,turns:turn.contoso.com:5349,turn:[2001:db8::1]:3478?transport=tcp',
      TURN_SECRET: 'shared-with-coturn',
      ICE_TRANSPORT_POLICY: 'relay',
      CALL_RECONNECT_SECONDS: '60',
    });
    expect(config.browserCall).toEqual({
      iceServers: [
        'stun:stun.contoso.com',
        'turn:turn.contoso.com:3478?transport=udp',
        'turns:turn.contoso.com:5349',
        'turn:[2001:db8::1]:3478?transport=tcp',
      ],
      turnSecret: 'shared-with-coturn',
      iceTransportPolicy: 'relay',
      reconnectSeconds: 60,
    });
  });

  it('names every bad ICE setting at once', () => {
    const problems = problemsOf({
      ICE_SERVERS:
        'https://turn.contoso.com,turn:,stun:stun.contoso.com?transport=udp,turns:t.contoso.com:5349?transport=udp,turn:t.contoso.com:70000',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^ICE_SERVERS: "https:\/\/turn.contoso.com" is not a stun:, turn: or turns: URL/,
      ),
      expect.stringMatching(/^ICE_SERVERS: "turn:" is not/),
      'ICE_SERVERS: "stun:stun.contoso.com?transport=udp": a stun: URL takes no ?transport',
      'ICE_SERVERS: "turns:t.contoso.com:5349?transport=udp": turns: runs over TCP/TLS, not udp',
      expect.stringMatching(/^ICE_SERVERS: "turn:t.contoso.com:70000" is not/),
    ]);
    expect(problemsOf({ TURN_SECRET: 'x', ICE_SERVERS: 'stun:s.contoso.com' })).toEqual([
      'TURN_SECRET: set, but ICE_SERVERS lists no turn: or turns: URL',
    ]);
    expect(problemsOf({ ICE_TRANSPORT_POLICY: 'relay' })).toEqual([
      'ICE_TRANSPORT_POLICY: "relay" needs a turn: or turns: URL in ICE_SERVERS',
    ]);
    expect(problemsOf({ ICE_TRANSPORT_POLICY: 'none' })[0]).toMatch(/^ICE_TRANSPORT_POLICY/);
    expect(problemsOf({ CALL_RECONNECT_SECONDS: '5' })[0]).toMatch(/^CALL_RECONNECT_SECONDS/);
  });
});

describe('TURN REST credentials', () => {
  const now = new Date('2026-05-04T10:00:00.000Z');
  const urls = ['stun:s.contoso.com', 'turn:t.contoso.com:3478', 'turns:t.contoso.com:5349'];

  it('signs expiry:callId with HMAC-SHA1, expiring with the call', () => {
    const servers = new TurnRestIceServers({ urls, secret: 's3cret' }).forCall(
      { id: 'call-1', expiresAt: '2026-05-04T11:30:00.000Z' },
      now,
    );
    const expiry = Date.parse('2026-05-04T11:30:00.000Z') / 1000;
    expect(servers).toEqual([
      { urls: ['stun:s.contoso.com'] },
      {
        urls: ['turn:t.contoso.com:3478', 'turns:t.contoso.com:5349'],
        username: `${expiry}:call-1`,
        credential: createHmac('sha1', 's3cret').update(`${expiry}:call-1`).digest('base64'),
      },
    ]);
  });

  it('caps the lifetime at a day, and gives no credentials without a secret', () => {
    const long = new TurnRestIceServers({ urls, secret: 's3cret' }).forCall(
      { id: 'c', expiresAt: '2026-06-01T00:00:00.000Z' },
      now,
    );
    expect(long[1]?.username).toBe(`${now.getTime() / 1000 + 86_400}:c`);
    expect(
      new TurnRestIceServers({ urls, secret: undefined }).forCall(
        { id: 'c', expiresAt: '2026-05-04T11:00:00.000Z' },
        now,
      )[1],
    ).toEqual({ urls: ['turn:t.contoso.com:3478', 'turns:t.contoso.com:5349'] });
    expect(
      new TurnRestIceServers({ urls: [], secret: undefined }).forCall(
        { id: 'c', expiresAt: '2026-05-04T11:00:00.000Z' },
        now,
      ),
    ).toEqual([]);
  });
});
