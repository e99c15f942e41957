/**
 * @jest-environment node
 */
import {
  VIDEO_LADDER,
  VideoAdapter,
  levelOf,
  readStats,
  type Quality,
} from '../../../../tab/src/call/quality';

const report = (entries: Record<string, unknown>[]): RTCStatsReport =>
  new Map(entries.map((e) => [e['id'] as string, e]));

const stats = (bytes: number, packets: number, lost: number, frames: number) =>
  report([
    {
      id: 'v',
      type: 'inbound-rtp',
      kind: 'video',
      bytesReceived: bytes,
      packetsReceived: packets,
      packetsLost: lost,
      framesDecoded: frames,
      frameWidth: 640,
    },
    {
      id: 'a',
      type: 'inbound-rtp',
      kind: 'audio',
      bytesReceived: 100,
      packetsReceived: 10,
      packetsLost: 0,
    },
    { id: 'o', type: 'outbound-rtp', kind: 'video', bytesSent: bytes },
    { id: 't', type: 'transport', selectedCandidatePairId: 'p' },
    {
      id: 'p',
      type: 'candidate-pair',
      state: 'succeeded',
      nominated: true,
      currentRoundTripTime: 0.05,
      availableOutgoingBitrate: 2_000_000,
      localCandidateId: 'l',
    },
    { id: 'l', type: 'local-candidate', candidateType: 'relay' },
  ]);

describe('connection quality from getStats', () => {
  it('computes bitrate, loss and round trip between two readings', () => {
    const first = readStats(stats(1000, 100, 0, 10), undefined, 0);
    expect(first.quality.inKbps).toBeUndefined();
    const second = readStats(stats(126_000, 190, 10, 70), first.totals, 1000);
    expect(second.quality).toMatchObject({
      rttMs: 50,
      lossPercent: 10,
      inKbps: 1000,
      localCandidateType: 'relay',
      framesDecoded: 70,
      audioBytesReceived: 100,
      frameWidth: 640,
      availableOutKbps: 2000,
      level: 'poor',
    });
  });

  it('grades round trip and loss', () => {
    expect(levelOf(undefined, undefined)).toBe('unknown');
    expect(levelOf(40, 0)).toBe('good');
    expect(levelOf(400, 0)).toBe('fair');
    expect(levelOf(40, 5)).toBe('fair');
    expect(levelOf(700, 0)).toBe('poor');
  });
});

describe('video adaptation', () => {
  const q = (level: Quality['level'], availableOutKbps?: number): Quality => ({
    level,
    rttMs: 10,
    lossPercent: 0,
    inKbps: 0,
    outKbps: 0,
    availableOutKbps,
    localCandidateType: 'host',
    framesDecoded: 0,
    audioBytesReceived: 0,
    frameWidth: undefined,
  });

  it('steps down at once on a poor connection and up only after a run of good readings', () => {
    const adapter = new VideoAdapter();
    expect(adapter.next(q('poor'))).toBe(1);
    expect(adapter.next(q('poor'))).toBe(2);
    for (let i = 0; i < 4; i++) expect(adapter.next(q('good'))).toBeUndefined();
    expect(adapter.next(q('good'))).toBe(1);
  });

  it('steps down when the estimated bandwidth cannot carry the step, and never below the last', () => {
    const adapter = new VideoAdapter();
    expect(adapter.next(q('good', 500))).toBe(1);
    for (let i = 0; i < 10; i++) adapter.next(q('poor'));
    expect(adapter.step).toBe(VIDEO_LADDER.length - 1);
    expect(adapter.next(q('poor'))).toBeUndefined();
  });
});
