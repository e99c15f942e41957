import type { IceServer } from '../contracts/call-signal';

/** The call a browser asks ICE servers for: credentials must not outlive it. */
export type IceCallFacts = {
  readonly id: string;
  /** ISO-8601; TURN credentials expire then (capped at a day from now). */
  readonly expiresAt: string;
};

/**
 * The STUN/TURN servers a browser call may use (`RTCConfiguration.iceServers`), with short-lived
 * TURN credentials where the deployment has a TURN secret. Empty: host candidates only (one
 * machine or one LAN needs nothing more).
 */
export interface IceServerSource {
  forCall(call: IceCallFacts, now: Date): IceServer[];
}
