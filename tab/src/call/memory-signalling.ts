import type {
  CallRole,
  PeerPresence,
  SessionGrant,
  SignalEnvelope,
  SignalMessage,
} from './protocol';
import type { SignalHandlers, Signalling } from './signalling';

type Side = {
  sessionId: string | null;
  handlers: SignalHandlers | undefined;
  seq: number;
  sessions: number;
};

/**
 * Two ends of an in-memory signalling server with the rules of the real one (one seat per role,
 * messages of the peer's current session only, in order): for engine tests and the bench.
 */
export function createMemorySignallingPair(
  options: { readonly iceServers?: RTCIceServer[] } = {},
): {
  readonly customer: () => Signalling;
  readonly agent: () => Signalling;
  readonly end: () => void;
} {
  let nextId = 1;
  let state = 'admitted';
  const log: (SignalEnvelope & { session: string })[] = [];
  const sides: Record<CallRole, Side> = {
    customer: { sessionId: null, handlers: undefined, seq: 0, sessions: 0 },
    agent: { sessionId: null, handlers: undefined, seq: 0, sessions: 0 },
  };
  const other = (role: CallRole): CallRole => (role === 'agent' ? 'customer' : 'agent');
  const presence = (role: CallRole): PeerPresence => ({
    present: sides[role].sessionId !== null,
    sessionId: sides[role].sessionId,
  });

  function end(role: CallRole): Signalling {
    const me = sides[role];
    let mine: string | undefined;
    const async = (fn: () => void) => setTimeout(fn, 0);
    return {
      join(): Promise<SessionGrant> {
        if (me.handlers) me.handlers.replaced();
        me.sessions += 1;
        mine = `${role}-${me.sessions}`;
        me.sessionId = mine;
        me.handlers = undefined;
        const peer = sides[other(role)];
        if (peer.handlers) {
          const h = peer.handlers;
          async(() => h.peer(presence(role)));
        }
        if (state === 'admitted' && role === 'customer') state = 'in_call';
        return Promise.resolve({
          sessionId: mine,
          role,
          polite: role === 'customer',
          iceServers: options.iceServers ?? [],
          iceTransportPolicy: 'all',
          peer: presence(other(role)),
          heartbeatSeconds: 10,
          reconnectSeconds: 120,
          state,
        });
      },
      send(message: SignalMessage): Promise<void> {
        if (mine !== me.sessionId) return Promise.reject(new Error('session-replaced'));
        me.seq += 1;
        const envelope = { id: nextId++, from: role, seq: me.seq, message, session: mine };
        log.push(envelope);
        const h = sides[other(role)].handlers;
        if (h) async(() => h.signal(envelope));
        return Promise.resolve();
      },
      listen(handlers: SignalHandlers): void {
        me.handlers = handlers;
        async(() => {
          handlers.state(state);
          handlers.peer(presence(other(role)));
          const peerSession = sides[other(role)].sessionId;
          for (const e of log) if (e.from !== role && e.session === peerSession) handlers.signal(e);
        });
      },
      close(): void {
        if (mine === me.sessionId) me.handlers = undefined;
      },
    };
  }

  return {
    customer: () => end('customer'),
    agent: () => end('agent'),
    end: () => {
      state = 'ended';
      for (const side of Object.values(sides)) {
        const h = side.handlers;
        if (h) setTimeout(() => h.state('ended'), 0);
      }
    },
  };
}
