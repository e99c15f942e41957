import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CallPaneProps } from '../../../../../tab/src/features/call/CallPane';
import { createMemorySignallingPair } from '../../../../../tab/src/call/memory-signalling';
import type { Signalling } from '../../../../../tab/src/call/signalling';
import type { FakeChannel } from '../../fakes/fake-webrtc';
import { FakePc, installWebRtc } from '../../fakes/fake-webrtc';
import { renderInTab } from '../../render';

// The real pane, hook and call engine; only the edges are fakes: WebRTC (fake-webrtc), the camera
// (navigator.mediaDevices) and the HTTP signalling, replaced by the in-memory server.
installWebRtc();

let pair = createMemorySignallingPair();
const signallingBases: string[] = [];
class MemoryHttpSignalling {
  constructor(options: { base: string }) {
    signallingBases.push(options.base);
    return pair.agent();
  }
}
jest.doMock('../../../../../tab/src/call/signalling', () => ({
  ...jest.requireActual<object>('../../../../../tab/src/call/signalling'),
  HttpSignalling: MemoryHttpSignalling,
}));

let CallPane: (props: CallPaneProps) => React.JSX.Element;
beforeAll(async () => {
  ({ CallPane } = await import('../../../../../tab/src/features/call/CallPane'));
  jest.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(() => Promise.resolve());
  // The hook logs the engine's steps for the browser console.
  jest.spyOn(console, 'debug').mockImplementation(() => undefined);
});

type Track = { kind: string; enabled: boolean; stop(): void; getSettings(): object };
const track = (kind: string): Track => ({
  kind,
  enabled: true,
  stop: () => undefined,
  getSettings: () => ({ deviceId: kind }),
});
function camera(result: 'ok' | 'denied') {
  const tracks = [track('audio'), track('video')];
  const stream = {
    getTracks: () => tracks,
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  };
  Object.defineProperty(navigator, 'mediaDevices', {
    configurable: true,
    value: {
      getUserMedia: () =>
        result === 'ok'
          ? Promise.resolve(stream)
          : Promise.reject(Object.assign(new Error('no'), { name: 'NotAllowedError' })),
      enumerateDevices: () => Promise.resolve([{ kind: 'videoinput', deviceId: 'video' }]),
    },
  });
  return tracks;
}

/** Lets the in-memory server and the engine's chain run. */
const settle = () =>
  act(async () => {
    for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
  });

const lastPc = (): FakePc => {
  const pc = FakePc.all.at(-1);
  if (!pc) throw new Error('no peer connection');
  return pc;
};

let customer: Signalling | undefined;
beforeEach(() => {
  pair = createMemorySignallingPair();
  FakePc.all = [];
  signallingBases.length = 0;
});
afterEach(() => customer?.close());

function pane(overrides: Partial<CallPaneProps> = {}) {
  const props: CallPaneProps = {
    callId: 'call 1',
    apiBaseUrl: 'https://api.example',
    headers: () => Promise.resolve({}),
    storage: undefined,
    customerName: 'Ana',
    onEnd: jest.fn(() => Promise.resolve()),
    onClose: jest.fn(),
    ...overrides,
  };
  return { props, ...renderInTab(<CallPane {...props} />) };
}

/** The pane with its camera open, the customer there, connected, the data channel open. */
async function connected() {
  camera('ok');
  const view = pane();
  await waitFor(() => expect(FakePc.all).toHaveLength(1));
  customer = pair.customer();
  await customer.join();
  await settle();
  const pc = lastPc();
  const channel = pc.channels[0] as FakeChannel;
  act(() => {
    pc.connect();
    channel.open();
  });
  return { ...view, pc, channel };
}

const phase = () => screen.getByTestId('call-phase');

describe('CallPane', () => {
  it('explains the camera while it opens, then waits for the customer on the call’s own path', async () => {
    camera('ok');
    pane();
    expect(phase()).toHaveTextContent('Starting the call…');
    expect(screen.getByText(/Nothing is recorded/)).toBeInTheDocument();
    await waitFor(() => expect(phase()).toHaveTextContent('Waiting for the customer to connect'));
    expect(signallingBases).toEqual(['https://api.example/api/calls/call%201/call']);
    expect(screen.getByRole('heading', { name: 'Call with Ana' })).toBeInTheDocument();
  });

  it('offers to join without the camera when it was refused, and then joins receive-only', async () => {
    camera('denied');
    pane();
    const without = await screen.findByRole('button', { name: 'Join without camera' });
    expect(screen.getByRole('button', { name: 'Try the camera again' })).toBeInTheDocument();
    expect(FakePc.all).toHaveLength(0); // no call before the agent decides
    await userEvent.click(without);
    await waitFor(() => expect(FakePc.all).toHaveLength(1));
    expect(lastPc().tracks).toEqual([]);
    // No microphone to mute: the toggle shows it off and cannot be pressed.
    expect(screen.getByRole('button', { name: 'Unmute' })).toBeDisabled();
  });

  it('shows connected, the customer’s chat and muted microphone', async () => {
    const { channel } = await connected();
    expect(phase()).toHaveTextContent('Connected');
    act(() => {
      channel.receive(JSON.stringify({ t: 'chat', id: 'c1', text: 'Hello?', at: 1 }));
      channel.receive(JSON.stringify({ t: 'media-state', mic: false, cam: true }));
    });
    expect(screen.getByTestId('chat-log')).toHaveTextContent('Ana: Hello?');
    expect(screen.getByTestId('remote-mic-off')).toHaveTextContent('Microphone is off');
    expect(screen.queryByTestId('remote-cam-off')).not.toBeInTheDocument();
  });

  it('shows the round trip and a relay from the connection’s stats', async () => {
    const { pc } = await connected();
    pc.stats = new Map<string, Record<string, unknown>>([
      ['t', { id: 't', type: 'transport', selectedCandidatePairId: 'p' }],
      ['p', { id: 'p', type: 'candidate-pair', currentRoundTripTime: 0.04, localCandidateId: 'l' }],
      ['l', { id: 'l', type: 'local-candidate', candidateType: 'relay' }],
    ]);
    // The engine samples every 2 s.
    const quality = await screen.findByTestId('call-quality', {}, { timeout: 6000 });
    expect(quality).toHaveTextContent('40 ms round trip');
    expect(quality).toHaveTextContent('through a relay');
  });

  it('sends chat and mutes the microphone through the call', async () => {
    const { channel } = await connected();
    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'Hi Ana{Enter}');
    expect(channel.json()).toContainEqual(expect.objectContaining({ t: 'chat', text: 'Hi Ana' }));
    expect(screen.getByTestId('chat-log')).toHaveTextContent('You: Hi Ana');
    await userEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(screen.getByRole('button', { name: 'Unmute' })).toBeInTheDocument();
    expect(channel.json().at(-1)).toEqual({ t: 'media-state', mic: false, cam: true });
  });

  it('asks for a snapshot, waits, and says when the customer’s camera is off', async () => {
    const { channel } = await connected();
    await userEvent.click(screen.getByRole('button', { name: 'Take a snapshot' }));
    expect(channel.json().at(-1)).toMatchObject({ t: 'snapshot-request' });
    expect(screen.getByRole('button', { name: 'Take a snapshot' })).toBeDisabled();
    expect(screen.getByText('Waiting for the snapshot…')).toBeInTheDocument();
    act(() =>
      channel.receive(JSON.stringify({ t: 'error', about: 'snapshot', reason: 'camera-off' })),
    );
    expect(screen.getByText('The customer’s camera is off: no snapshot.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Take a snapshot' })).toBeEnabled();
  });

  it('ends the call for both, then offers to close the pane', async () => {
    const { props, pc } = await connected();
    await userEvent.click(screen.getByRole('button', { name: 'End call' }));
    expect(props.onEnd).toHaveBeenCalled();
    expect(pc.closed).toBe(true);
    await userEvent.click(await screen.findByRole('button', { name: 'Close' }));
    expect(props.onClose).toHaveBeenCalled();
  });
});
