/** How the connection feels, for the indicator. */
export type QualityLevel = 'good' | 'fair' | 'poor' | 'unknown';

/** One reading of the connection, from `getStats`. */
export type Quality = {
  readonly level: QualityLevel;
  /** Round-trip time in milliseconds. */
  readonly rttMs: number | undefined;
  /** Packets lost in the last interval, in percent (audio and video received). */
  readonly lossPercent: number | undefined;
  /** What arrived in the last interval, kbit/s. */
  readonly inKbps: number | undefined;
  /** What was sent in the last interval, kbit/s. */
  readonly outKbps: number | undefined;
  /** The estimate of what could be sent, kbit/s. */
  readonly availableOutKbps: number | undefined;
  /** `host`, `srflx`, `prflx` or `relay` (through TURN). */
  readonly localCandidateType: string | undefined;
  /** Counters, for tests and the bench. */
  readonly framesDecoded: number;
  readonly audioBytesReceived: number;
  readonly frameWidth: number | undefined;
};

/** Running totals between two readings. */
export type StatsTotals = {
  readonly at: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly lostIn: number;
};

type Entry = Record<string, unknown> & { type: string; id: string };
const n = (v: unknown): number => (typeof v === 'number' && isFinite(v) ? v : 0);

/** Reads one `RTCStatsReport` into a `Quality`, given the totals of the previous reading. */
export function readStats(
  report: RTCStatsReport,
  previous: StatsTotals | undefined,
  now: number,
): { quality: Quality; totals: StatsTotals } {
  const entries: Entry[] = [];
  report.forEach((s: Entry) => entries.push(s));
  const byId = new Map(entries.map((e) => [e.id, e]));
  let bytesIn = 0;
  let bytesOut = 0;
  let packetsIn = 0;
  let lostIn = 0;
  let framesDecoded = 0;
  let audioBytesReceived = 0;
  let frameWidth: number | undefined;
  let pair: Entry | undefined;
  for (const s of entries) {
    if (s.type === 'inbound-rtp') {
      bytesIn += n(s['bytesReceived']);
      packetsIn += n(s['packetsReceived']);
      lostIn += Math.max(0, n(s['packetsLost']));
      const kind = s['kind'] ?? s['mediaType'];
      if (kind === 'video') {
        framesDecoded += n(s['framesDecoded']);
        if (typeof s['frameWidth'] === 'number') frameWidth = s['frameWidth'];
      } else if (kind === 'audio') audioBytesReceived += n(s['bytesReceived']);
    } else if (s.type === 'outbound-rtp') bytesOut += n(s['bytesSent']);
    else if (s.type === 'transport' && typeof s['selectedCandidatePairId'] === 'string')
      pair = byId.get(s['selectedCandidatePairId']);
  }
  pair ??= entries.find(
    (s) => s.type === 'candidate-pair' && s['state'] === 'succeeded' && s['nominated'] === true,
  );
  const local = pair ? byId.get(String(pair['localCandidateId'])) : undefined;
  const totals: StatsTotals = { at: now, bytesIn, bytesOut, packetsIn, lostIn };
  const seconds = previous ? (now - previous.at) / 1000 : 0;
  const kbps = (bytes: number) =>
    seconds > 0 ? Math.max(0, (bytes * 8) / seconds / 1000) : undefined;
  const packets = previous ? packetsIn - previous.packetsIn : 0;
  const lost = previous ? lostIn - previous.lostIn : 0;
  const rtt =
    pair && typeof pair['currentRoundTripTime'] === 'number'
      ? pair['currentRoundTripTime'] * 1000
      : undefined;
  const lossPercent =
    previous && packets + lost > 0
      ? (100 * Math.max(0, lost)) / (packets + lost)
      : previous
        ? 0
        : undefined;
  const available = pair ? n(pair['availableOutgoingBitrate']) / 1000 : 0;
  const quality: Quality = {
    level: levelOf(rtt, lossPercent),
    rttMs: rtt === undefined ? undefined : Math.round(rtt),
    lossPercent: lossPercent === undefined ? undefined : Math.round(lossPercent * 10) / 10,
    inKbps: previous ? Math.round(kbps(bytesIn - previous.bytesIn) ?? 0) : undefined,
    outKbps: previous ? Math.round(kbps(bytesOut - previous.bytesOut) ?? 0) : undefined,
    availableOutKbps: available > 0 ? Math.round(available) : undefined,
    localCandidateType: local ? String(local['candidateType']) : undefined,
    framesDecoded,
    audioBytesReceived,
    frameWidth,
  };
  return { quality, totals };
}

/** Good below 300 ms and 2 % loss; poor above 600 ms or 8 % loss. */
export function levelOf(rttMs: number | undefined, lossPercent: number | undefined): QualityLevel {
  if (rttMs === undefined && lossPercent === undefined) return 'unknown';
  const rtt = rttMs ?? 0;
  const loss = lossPercent ?? 0;
  if (rtt > 600 || loss > 8) return 'poor';
  if (rtt > 300 || loss > 2) return 'fair';
  return 'good';
}

/** One step of the video sender's ladder. */
export type VideoProfile = {
  readonly maxBitrate: number;
  readonly scaleResolutionDownBy: number;
  readonly maxFramerate: number;
};

/** From best to worst. The first step sends the camera's own resolution. */
export const VIDEO_LADDER: readonly VideoProfile[] = [
  { maxBitrate: 1_500_000, scaleResolutionDownBy: 1, maxFramerate: 30 },
  { maxBitrate: 800_000, scaleResolutionDownBy: 1.5, maxFramerate: 24 },
  { maxBitrate: 400_000, scaleResolutionDownBy: 2, maxFramerate: 15 },
  { maxBitrate: 150_000, scaleResolutionDownBy: 4, maxFramerate: 10 },
];

/**
 * Chooses the ladder step from the latest readings: down at once when the connection is poor or
 * the estimate is below the step's bitrate, up only after a run of good readings (no flapping).
 */
export class VideoAdapter {
  step = 0;
  private good = 0;

  /** The new step, or `undefined` when it stays. */
  next(quality: Quality): number | undefined {
    const profile = VIDEO_LADDER[this.step];
    if (!profile || quality.level === 'unknown') return undefined;
    const available = quality.availableOutKbps;
    const starved = available !== undefined && available * 1000 < profile.maxBitrate * 0.7;
    if ((quality.level === 'poor' || starved) && this.step < VIDEO_LADDER.length - 1) {
      this.good = 0;
      return ++this.step;
    }
    if (quality.level === 'good') {
      this.good += 1;
      const better = VIDEO_LADDER[this.step - 1];
      const room = available === undefined || !better || available * 1000 >= better.maxBitrate;
      if (this.good >= 5 && this.step > 0 && room) {
        this.good = 0;
        return --this.step;
      }
    } else this.good = 0;
    return undefined;
  }
}

/** Applies a ladder step to a video sender (browsers without encodings keep their own control). */
export async function applyProfile(sender: RTCRtpSender, profile: VideoProfile): Promise<void> {
  const parameters = sender.getParameters();
  const encoding = parameters.encodings?.[0];
  if (!encoding) return;
  encoding.maxBitrate = profile.maxBitrate;
  encoding.scaleResolutionDownBy = profile.scaleResolutionDownBy;
  encoding.maxFramerate = profile.maxFramerate;
  await sender.setParameters(parameters);
}
