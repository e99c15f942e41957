import { CallEngine, type CallEvent } from '../../../../tab/src/call/call-engine';
import { createMemorySignallingPair } from '../../../../tab/src/call/memory-signalling';
import type { SignalEnvelope } from '../../../../tab/src/call/protocol';
import { SignalError, type Signalling } from '../../../../tab/src/call/signalling';
import { FakeChannel, FakePc, installWebRtc, sdp } from '../fakes/fake-webrtc';

installWebRtc();

/** Lets the in-memory server deliver (it posts with `setTimeout(0)`) and the engine's chain run. */
const settle = async () => {
  // Hops of `setTimeout(0)`, not one longer timer: a server post scheduled during a hop always runs
  // before the next hop, however slow the machine is.
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
};

const engines: CallEngine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.hangUp();
  FakePc.all = [];
});

function agentCall(options: { statsIntervalMs?: number } = {}) {
  const pair = createMemorySignallingPair({ iceServers: [{ urls: 'stun:stun.example' }] });
  const engine = new CallEngine({ signalling: pair.agent(), media: undefined, ...options });
  engines.push(engine);
  const events: CallEvent[] = [];
  engine.on((e) => events.push(e));
  const phases = () => events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []));
  return { pair, engine, events, phases };
}

/** The customer's end of the server, driven by the test; records what it hears from the agent. */
async function customerEnd(signalling: Signalling) {
  const heard: SignalEnvelope[] = [];
  await signalling.join();
  signalling.listen({
    signal: (e) => heard.push(e),
    peer: () => undefined,
    state: () => undefined,
    replaced: () => undefined,
    offline: () => undefined,
  });
  return { heard, signalling };
}

const lastPc = (): FakePc => {
  const pc = FakePc.all.at(-1);
  if (!pc) throw new Error('no peer connection');
  return pc;
};

describe('CallEngine (agent side, over the in-memory server)', () => {
  it('waits for the customer, then connects once the connection says so', async () => {
    const { pair, engine, phases } = agentCall();
    await engine.start();
    await settle();
    expect(engine.role).toBe('agent');
    expect(engine.phase).toBe('waiting');
    const pc = lastPc();
    // The grant's ICE servers reach the connection; receive-only without a camera.
    expect(pc.config.iceServers).toEqual([{ urls: 'stun:stun.example' }]);
    expect(pc.transceivers).toEqual([
      { kind: 'audio', direction: 'recvonly' },
      { kind: 'video', direction: 'recvonly' },
    ]);
    expect(pc.channels.map((c) => c.label)).toEqual(['otc']);

    await customerEnd(pair.customer());
    await settle();
    expect(engine.phase).toBe('connecting');
    pc.connect();
    expect(engine.phase).toBe('connected');
    expect(phases()).toEqual(['waiting', 'connecting', 'connected']);
  });

  it('offers first (impolite), queues early candidates and applies them after the answer', async () => {
    const { pair, engine } = agentCall();
    const customer = await customerEnd(pair.customer());
    await engine.start();
    await settle();
    const pc = lastPc();
    pc.onnegotiationneeded?.();
    await settle();
    const offer = customer.heard.find((e) => e.message.type === 'description');
    expect(offer?.message).toEqual({
      type: 'description',
      description: { type: 'offer', sdp: expect.stringContaining('o=- ') as string },
    });

    const cand = { candidate: 'candidate:1 1 udp 1 10.0.0.1 9 typ host', sdpMid: '0' };
    await customer.signalling.send({ type: 'candidate', candidate: cand });
    await settle();
    expect(pc.candidates).toEqual([]); // no remote description yet: held back
    await customer.signalling.send({
      type: 'description',
      description: { type: 'answer', sdp: sdp('900') },
    });
    await settle();
    expect(pc.signalingState).toBe('stable');
    expect(pc.remoteDescription?.type).toBe('answer');
    expect(pc.candidates).toEqual([cand]);
  });

  it('sends its own ICE candidates, but not the end-of-candidates marker', async () => {
    const { pair, engine } = agentCall();
    const customer = await customerEnd(pair.customer());
    await engine.start();
    await settle();
    const pc = lastPc();
    pc.onicecandidate?.({
      candidate: { candidate: 'candidate:2 1 udp 1 10.0.0.2 9 typ host', sdpMid: '0' },
    });
    pc.onicecandidate?.({ candidate: null });
    pc.onicecandidate?.({ candidate: { candidate: '' } });
    await settle();
    const sent = customer.heard.map((e) => e.message);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'candidate',
      candidate: { candidate: 'candidate:2 1 udp 1 10.0.0.2 9 typ host', sdpMid: '0' },
    });
  });

  it("answers the customer's offer", async () => {
    const { pair, engine } = agentCall();
    const customer = await customerEnd(pair.customer());
    await engine.start();
    await settle();
    await customer.signalling.send({
      type: 'description',
      description: { type: 'offer', sdp: sdp('900') },
    });
    await settle();
    const pc = lastPc();
    expect(pc.remoteDescription?.type).toBe('offer');
    expect(customer.heard.map((e) => e.message)).toEqual([
      {
        type: 'description',
        description: { type: 'answer', sdp: expect.stringContaining('o=- ') as string },
      },
    ]);
  });

  it('ignores a colliding offer while its own offer is out (the agent is the impolite peer)', async () => {
    const { pair, engine } = agentCall();
    const customer = await customerEnd(pair.customer());
    await engine.start();
    await settle();
    const pc = lastPc();
    pc.onnegotiationneeded?.();
    await settle();
    expect(pc.signalingState).toBe('have-local-offer');
    await customer.signalling.send({
      type: 'description',
      description: { type: 'offer', sdp: sdp('900') },
    });
    await settle();
    expect(pc.remoteDescription).toBeNull();
    expect(pc.signalingState).toBe('have-local-offer');
    expect(customer.heard.filter((e) => e.message.type === 'description')).toHaveLength(1);
  });

  it('builds a new connection when the customer comes back with a new session (a reload)', async () => {
    const { pair, engine } = agentCall();
    await customerEnd(pair.customer());
    await engine.start();
    await settle();
    const first = lastPc();
    await customerEnd(pair.customer()); // the customer reloads: a second session takes the seat
    await settle();
    expect(first.closed).toBe(true);
    expect(FakePc.all).toHaveLength(2);
    expect(lastPc().closed).toBe(false);
  });

  it('ends, and stops everything, when the server says the call ended', async () => {
    const { pair, engine, phases } = agentCall();
    await engine.start();
    await settle();
    const pc = lastPc();
    const channel = pc.channels[0];
    channel?.open();
    pair.end();
    await settle();
    expect(engine.phase).toBe('ended');
    expect(pc.closed).toBe(true);
    expect(channel?.readyState).toBe('closed');
    // Nothing comes back after the end, even if the connection reports in late.
    pc.connect();
    expect(engine.phase).toBe('ended');
    expect(phases().at(-1)).toBe('ended');
  });

  it('is replaced when the same agent opens the call in another window', async () => {
    const { pair, engine } = agentCall();
    await engine.start();
    await settle();
    await pair.agent().join();
    expect(engine.phase).toBe('replaced');
    expect(lastPc().closed).toBe(true);
  });

  it('reports the connection quality from getStats', async () => {
    const { engine, events } = agentCall({ statsIntervalMs: 10 });
    await engine.start();
    lastPc().stats = new Map([
      ['t', { id: 't', type: 'transport', selectedCandidatePairId: 'p' }],
      [
        'p',
        {
          id: 'p',
          type: 'candidate-pair',
          state: 'succeeded',
          currentRoundTripTime: 0.04,
          localCandidateId: 'l',
        },
      ],
      ['l', { id: 'l', type: 'local-candidate', candidateType: 'relay' }],
    ]);
    for (let i = 0; i < 100 && !events.some((e) => e.type === 'quality'); i++) await settle();
    const quality = events.find((e) => e.type === 'quality');
    expect(quality).toMatchObject({
      type: 'quality',
      quality: { rttMs: 40, localCandidateType: 'relay' },
    });
    expect(engine.quality?.rttMs).toBe(40);
  });
});

describe('CallEngine data channel', () => {
  async function openChannel() {
    const call = agentCall();
    await call.engine.start();
    await settle();
    const channel = lastPc().channels[0];
    if (!channel) throw new Error('no channel');
    return { ...call, channel };
  }

  it('tells the peer its microphone and camera are off (no media) as soon as it opens', async () => {
    const { engine, channel, events } = await openChannel();
    expect(engine.channelOpen).toBe(false);
    channel.open();
    expect(engine.channelOpen).toBe(true);
    expect(events).toContainEqual({ type: 'channel', open: true });
    expect(channel.json()).toEqual([{ t: 'media-state', mic: false, cam: false }]);
    channel.close();
    expect(events).toContainEqual({ type: 'channel', open: false });
  });

  it('sends a chat line trimmed and shows it as mine; refuses blank lines and a closed channel', async () => {
    const { engine, channel, events } = await openChannel();
    expect(engine.sendChat('hello')).toBe(false); // not open yet: nothing goes through the server
    expect(channel.sent).toEqual([]);
    channel.open();
    expect(engine.sendChat('   ')).toBe(false);
    expect(engine.sendChat('  Bonjour  ')).toBe(true);
    const chat = channel.json().find((m) => m['t'] === 'chat');
    expect(chat).toMatchObject({ t: 'chat', text: 'Bonjour' });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'chat', mine: true, text: 'Bonjour', id: chat?.['id'] }),
    );
  });

  it('cuts a chat line at the maximum length', async () => {
    const { engine, channel } = await openChannel();
    channel.open();
    engine.sendChat('x'.repeat(5000));
    const chat = channel.json().find((m) => m['t'] === 'chat');
    expect((chat?.['text'] as string).length).toBe(1000);
  });

  it("passes on the peer's chat, media state and snapshot errors; drops malformed messages", async () => {
    const { engine, channel, events } = await openChannel();
    channel.open();
    const before = events.length;
    channel.receive('not json');
    channel.receive(JSON.stringify({ t: 'chat', id: 'a', text: 5, at: 1 }));
    expect(events).toHaveLength(before);
    channel.receive(JSON.stringify({ t: 'chat', id: 'c1', text: 'Salut', at: 7 }));
    channel.receive(JSON.stringify({ t: 'media-state', mic: false, cam: true }));
    channel.receive(JSON.stringify({ t: 'error', about: 'snapshot', reason: 'camera-off' }));
    channel.receive(JSON.stringify({ t: 'drawing-dismissed' }));
    expect(events.slice(before)).toEqual([
      { type: 'chat', mine: false, id: 'c1', text: 'Salut', at: 7 },
      { type: 'remote-media', mic: false, cam: true },
      { type: 'snapshot-failed', reason: 'camera-off' },
      { type: 'drawing-dismissed' },
    ]);
    expect(engine.remoteMediaState).toEqual({ mic: false, cam: true });
  });

  it('reassembles an image sent in binary chunks', async () => {
    const { channel, events } = await openChannel();
    channel.open();
    const begin = { t: 'image-begin', id: 'i1', kind: 'photo', mime: 'image/png', width: 4 };
    channel.receive(JSON.stringify({ ...begin, size: 6, height: 3 }));
    channel.receive(new Uint8Array([1, 2, 3]).buffer);
    channel.receive(new Uint8Array([4, 5, 6]).buffer);
    channel.receive(JSON.stringify({ t: 'image-end', id: 'i1' }));
    const image = events.find((e) => e.type === 'image');
    expect(image).toMatchObject({ image: { kind: 'photo', width: 4, height: 3 } });
    if (image?.type !== 'image') throw new Error('no image');
    expect(image.image.blob.size).toBe(6);
    expect(image.image.blob.type).toBe('image/png');

    // A short image (fewer bytes than announced) is dropped.
    channel.receive(JSON.stringify({ ...begin, id: 'i2', size: 6, height: 3 }));
    channel.receive(new Uint8Array([1]).buffer);
    channel.receive(JSON.stringify({ t: 'image-end', id: 'i2' }));
    expect(events.filter((e) => e.type === 'image')).toHaveLength(1);
  });

  it('asks the customer for a snapshot only over an open channel', async () => {
    const { engine, channel } = await openChannel();
    expect(engine.requestSnapshot()).toBe(false);
    channel.open();
    expect(engine.requestSnapshot()).toBe(true);
    expect(channel.json().at(-1)).toMatchObject({ t: 'snapshot-request' });
  });
});

describe('CallEngine (customer side)', () => {
  it('answers a snapshot request with camera-off when it has no camera', async () => {
    const pair = createMemorySignallingPair();
    const engine = new CallEngine({ signalling: pair.customer(), media: undefined });
    engines.push(engine);
    const events: CallEvent[] = [];
    engine.on((e) => events.push(e));
    await engine.start();
    expect(engine.role).toBe('customer');
    const pc = lastPc();
    expect(pc.channels).toEqual([]); // the agent creates the channel; the customer receives it
    const channel = new FakeChannel('otc');
    pc.ondatachannel?.({ channel });
    channel.open();
    channel.receive(JSON.stringify({ t: 'snapshot-request', id: 'r1' }));
    await settle();
    expect(events).toContainEqual({ type: 'snapshot-request' });
    expect(channel.json()).toContainEqual({ t: 'error', about: 'snapshot', reason: 'camera-off' });
  });
});

describe('CallEngine start', () => {
  const refusing = (error: Error): Signalling => ({
    join: () => Promise.reject(error),
    send: () => Promise.resolve(),
    listen: () => undefined,
    close: () => undefined,
  });

  it('is refused, with the server code, when the seat is taken', async () => {
    const stop = jest.fn();
    const media = { stop } as unknown as ConstructorParameters<typeof CallEngine>[0]['media'];
    const engine = new CallEngine({
      signalling: refusing(new SignalError('call-busy', 409)),
      media,
    });
    const events: CallEvent[] = [];
    engine.on((e) => events.push(e));
    await expect(engine.start()).rejects.toThrow(SignalError);
    expect(events).toEqual([{ type: 'phase', phase: 'refused', reason: 'call-busy' }]);
    expect(stop).toHaveBeenCalled(); // the camera light goes off
  });

  it('ends (not refused) when the call is already over', async () => {
    const engine = new CallEngine({
      signalling: refusing(new SignalError('wrong-state', 409, 'expired')),
      media: undefined,
    });
    await expect(engine.start()).rejects.toThrow();
    expect(engine.phase).toBe('ended');
  });

  it('says network when the failure is not the server’s answer', async () => {
    const engine = new CallEngine({
      signalling: refusing(new TypeError('fetch')),
      media: undefined,
    });
    const events: CallEvent[] = [];
    engine.on((e) => events.push(e));
    await expect(engine.start()).rejects.toThrow();
    expect(events).toEqual([{ type: 'phase', phase: 'refused', reason: 'network' }]);
  });
});
