import { createHmac } from 'node:crypto';
import type { IceCallFacts, IceServer, IceServerSource } from '@shared';

/** Options of {@link TurnRestIceServers}. */
export type TurnRestIceServersOptions = {
  /** `stun:`, `turn:` and `turns:` URLs (validated by the config). */
  readonly urls: readonly string[];
  /** coturn's `static-auth-secret`; `undefined`: TURN URLs are handed out without credentials. */
  readonly secret: string | undefined;
  /** Longest credential lifetime. @default 86400 (a day) */
  readonly maxTtlSeconds?: number | undefined;
};

/**
 * ICE servers with TURN REST API credentials, the scheme coturn implements with
 * `use-auth-secret`/`static-auth-secret`: username `<unixExpiry>:<callId>`, credential
 * base64(HMAC-SHA1(secret, username)). The expiry is the call's end, so a credential dies with the
 * call; coturn checks it on every allocation.
 */
export class TurnRestIceServers implements IceServerSource {
  private readonly stun: string[];
  private readonly turn: string[];

  constructor(private readonly options: TurnRestIceServersOptions) {
    this.stun = options.urls.filter((u) => /^stuns?:/i.test(u));
    this.turn = options.urls.filter((u) => /^turns?:/i.test(u));
  }

  forCall(call: IceCallFacts, now: Date): IceServer[] {
    const servers: IceServer[] = [];
    if (this.stun.length > 0) servers.push({ urls: [...this.stun] });
    if (this.turn.length === 0) return servers;
    if (this.options.secret === undefined) {
      servers.push({ urls: [...this.turn] });
      return servers;
    }
    const cap = now.getTime() + (this.options.maxTtlSeconds ?? 86_400) * 1000;
    const expiry = Math.floor(Math.min(Date.parse(call.expiresAt), cap) / 1000);
    const username = `${expiry}:${call.id}`;
    const credential = createHmac('sha1', this.options.secret).update(username).digest('base64');
    servers.push({ urls: [...this.turn], username, credential });
    return servers;
  }
}
