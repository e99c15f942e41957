import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. `path` is decoded and relative to `/v1.0`. */
export type GraphRecord = {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
};

/** A scripted answer: matched by method and a path pattern, used `times` times (default once). */
export type GraphScript = {
  readonly method?: string;
  readonly path: RegExp;
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  times?: number;
};

type FakeEvent = {
  id: string;
  subject: string;
  joinUrl: string;
  onlineMeetingId: string;
  cancelled: boolean;
};
type FakeOnlineMeeting = {
  id: string;
  joinWebUrl: string;
  threadId: string;
  settings: Record<string, unknown>;
};

/**
 * A loopback Microsoft Graph (v1.0) for the calls the app makes: calendar events with Teams meetings,
 * onlineMeetings found by join URL and PATCHed, event cancel, team members, checkMemberGroups.
 * Records every request; `script` makes the next matching requests fail (429, 5xx, 403, …).
 */
export class FakeGraph {
  private server: Server | undefined;
  private seq = 0;
  private readonly scripts: GraphScript[] = [];
  readonly requests: GraphRecord[] = [];
  readonly events = new Map<string, FakeEvent>();
  readonly onlineMeetings = new Map<string, FakeOnlineMeeting>();
  /** teamId → member object ids. */
  readonly teams = new Map<string, string[]>();
  /** userId → group ids. */
  readonly groups = new Map<string, string[]>();
  /** The tenant app catalog: manifest (external) id → catalog id. */
  readonly catalog = new Map<string, string>();
  /** user id → catalog app ids installed in their personal scope. */
  readonly userApps = new Map<string, string[]>();
  /** chat thread id → installed catalog app ids. */
  readonly chatApps = new Map<string, string[]>();
  /**
   * Whether the tenant gives Virtual Appointments join URLs (licence and policy allow them). Graph
   * serves them to delegated tokens only; the fake Entra's app tokens are refused as Graph does.
   */
  virtualAppointments = true;
  /** Slow answers: matching requests wait for their gate (see `slow`). */
  private readonly holds: {
    method: string;
    path: RegExp;
    gate: Promise<void>;
    arrived: () => void;
  }[] = [];
  /** Every matching request waits `ms` before it is answered (a slow Graph, for benches). */
  latency: { readonly method: string; readonly path: RegExp; readonly ms: number } | undefined;
  /** Requests that have been answered, as `METHOD path` (a held request is not yet in it). */
  readonly answered: string[] = [];
  /** Leave `onlineMeeting` out of the next create answer (Graph does so now and then). */
  omitJoinUrlOnce = false;
  url = '';

  static async start(): Promise<FakeGraph> {
    const fake = new FakeGraph();
    const server = createServer((req, res) => {
      void fake.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
    fake.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
    return fake;
  }

  /**
   * Makes matching requests slow: each waits `ms` (or until `release()`) before it is handled.
   * `arrived` resolves when the first one came in.
   */
  slow(
    method: string,
    path: RegExp,
    ms: number,
  ): { readonly arrived: Promise<void>; release(): void; restore(): void } {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      release = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    let arrived = () => undefined as void;
    const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
    const hold = { method, path, gate, arrived };
    this.holds.push(hold);
    return {
      arrived: arrivedPromise,
      release,
      restore: () => {
        release();
        this.holds.splice(this.holds.indexOf(hold), 1);
      },
    };
  }

  /** Drops every scripted answer not used up yet. */
  clearScripts(): void {
    this.scripts.length = 0;
  }

  script(script: GraphScript): void {
    this.scripts.push({ ...script, times: script.times ?? 1 });
  }

  /** The recorded requests without their headers, for compact assertions. */
  calls(): Array<{ method: string; path: string; query?: Record<string, string>; body?: unknown }> {
    return this.requests.map((r) => ({
      method: r.method,
      path: r.path,
      ...(Object.keys(r.query).length ? { query: { ...r.query } } : {}),
      ...(r.body !== undefined ? { body: r.body } : {}),
    }));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/, ''));
    const raw = await readBody(req);
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    const method = req.method ?? 'GET';
    this.requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    });
    const slow = this.latency;
    if (slow && slow.method === method && slow.path.test(path)) {
      await new Promise((resolve) => setTimeout(resolve, slow.ms));
    }
    const hold = this.holds.find((h) => h.method === method && h.path.test(path));
    if (hold) {
      hold.arrived();
      await hold.gate;
    }
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}): void => {
      this.answered.push(`${method} ${path}`);
      if (json === undefined) {
        res.writeHead(status, headers).end();
        return;
      }
      res
        .writeHead(status, {
          'content-type': 'application/json',
          'request-id': `req-${this.requests.length}`,
          ...headers,
        })
        .end(JSON.stringify(json));
    };

    const scripted = this.scripts.find(
      (s) => (s.method ?? method) === method && s.path.test(path) && (s.times ?? 0) > 0,
    );
    if (scripted) {
      scripted.times = (scripted.times ?? 1) - 1;
      return reply(scripted.status, scripted.body, { ...(scripted.headers ?? {}) });
    }
    if (!/^Bearer \S+$/.test(String(req.headers['authorization'] ?? ''))) {
      return reply(401, {
        error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
      });
    }

    let m: RegExpExecArray | null;
    if (method === 'POST' && /^(\/me|\/users\/[^/]+)\/events$/.test(path)) {
      const n = ++this.seq;
      const id = `AAMkAGevent${n}=`;
      const thread = `19:meeting_fake${n}@thread.v2`;
      const joinUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0?context=%7b%22Tid%22%3a%22t%22%7d`;
      const onlineMeetingId = `MSpmeeting${n}`;
      const subject = (body as { subject?: string } | undefined)?.subject ?? '';
      this.events.set(id, { id, subject, joinUrl, onlineMeetingId, cancelled: false });
      this.onlineMeetings.set(onlineMeetingId, {
        id: onlineMeetingId,
        joinWebUrl: joinUrl,
        threadId: thread,
        settings: {},
      });
      const omit = this.omitJoinUrlOnce;
      this.omitJoinUrlOnce = false;
      return reply(201, {
        id,
        subject,
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        onlineMeeting: omit ? null : { joinUrl },
      });
    }
    if (method === 'GET' && (m = /^(?:\/me|\/users\/[^/]+)\/events\/([^/]+)$/.exec(path))) {
      const event = this.events.get(m[1] ?? '');
      if (!event) return reply(404, { error: { code: 'ErrorItemNotFound', message: 'not found' } });
      return reply(200, { id: event.id, onlineMeeting: { joinUrl: event.joinUrl } });
    }
    if (method === 'DELETE' && (m = /^(?:\/me|\/users\/[^/]+)\/events\/([^/]+)$/.exec(path))) {
      if (!this.events.delete(m[1] ?? '')) {
        return reply(404, { error: { code: 'ErrorItemNotFound', message: 'not found' } });
      }
      return reply(204);
    }
    if (
      method === 'POST' &&
      (m = /^(?:\/me|\/users\/[^/]+)\/events\/([^/]+)\/cancel$/.exec(path))
    ) {
      const event = this.events.get(m[1] ?? '');
      if (!event || event.cancelled)
        return reply(404, { error: { code: 'ErrorItemNotFound', message: 'not found' } });
      event.cancelled = true;
      return reply(202);
    }
    if (method === 'GET' && /^(?:\/me|\/users\/[^/]+)\/onlineMeetings$/.test(path)) {
      const filter = /^JoinWebUrl eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '');
      const joinUrl = filter?.[1]?.replace(/''/g, "'");
      const found = [...this.onlineMeetings.values()].filter((om) => om.joinWebUrl === joinUrl);
      return reply(200, {
        value: found.map((om) => ({
          id: om.id,
          joinWebUrl: om.joinWebUrl,
          chatInfo: { threadId: om.threadId, messageId: '0', replyChainMessageId: null },
          ...om.settings,
        })),
      });
    }
    if (
      method === 'PATCH' &&
      (m = /^(?:\/me|\/users\/[^/]+)\/onlineMeetings\/([^/]+)$/.exec(path))
    ) {
      const om = this.onlineMeetings.get(m[1] ?? '');
      if (!om)
        return reply(404, { error: { code: 'NotFound', message: 'onlineMeeting not found' } });
      Object.assign(om.settings, body);
      return reply(200, { id: om.id, joinWebUrl: om.joinWebUrl, ...om.settings });
    }
    if (
      method === 'GET' &&
      (m =
        /^(?:\/me|\/users\/[^/]+)\/onlineMeetings\/([^/]+)\/getVirtualAppointmentJoinWebUrl$/.exec(
          path,
        ))
    ) {
      const om = this.onlineMeetings.get(m[1] ?? '');
      if (!om)
        return reply(404, { error: { code: 'NotFound', message: 'onlineMeeting not found' } });
      if (/^Bearer fake-app-token/.test(String(req.headers['authorization'])))
        return reply(403, {
          error: { code: 'Forbidden', message: 'Application permissions are not supported.' },
        });
      if (!this.virtualAppointments)
        return reply(403, {
          error: {
            code: 'Forbidden',
            message: 'Virtual appointments are not enabled for this user.',
          },
        });
      return reply(200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.String',
        value: `https://visit.teams.microsoft.com/webrtc-svc/api/route?tid=t&convId=${encodeURIComponent(om.threadId)}`,
      });
    }
    if (method === 'GET' && (m = /^\/teams\/([^/]+)\/members$/.exec(path))) {
      const members = this.teams.get(m[1] ?? '');
      if (!members) return reply(404, { error: { code: 'NotFound', message: 'No team found' } });
      const wanted = /userId eq '([^']*)'/.exec(url.searchParams.get('$filter') ?? '')?.[1];
      return reply(200, {
        value: members
          .filter((id) => wanted === undefined || id === wanted)
          .map((userId) => ({
            '@odata.type': '#microsoft.graph.aadUserConversationMember',
            id: `m-${userId}`,
            userId,
          })),
      });
    }
    if (method === 'GET' && path === '/appCatalogs/teamsApps') {
      const externalId = /^externalId eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '')?.[1];
      const id = externalId ? this.catalog.get(externalId) : undefined;
      return reply(200, {
        value: id
          ? [{ id, externalId, displayName: 'One-Time Call', distributionMethod: 'organization' }]
          : [],
      });
    }
    if (method === 'POST' && (m = /^\/chats\/([^/]+)\/installedApps$/.exec(path))) {
      const bind = (body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'];
      const appId = typeof bind === 'string' ? (bind.split('/').pop() ?? '') : '';
      const installed = this.chatApps.get(m[1] ?? '') ?? [];
      if (installed.includes(appId))
        return reply(409, { error: { code: 'Conflict', message: 'App is already installed' } });
      this.chatApps.set(m[1] ?? '', [...installed, appId]);
      return reply(201);
    }
    if (method === 'POST' && (m = /^\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path))) {
      const bind = (body as Record<string, unknown> | undefined)?.['teamsApp@odata.bind'];
      const appId = typeof bind === 'string' ? (bind.split('/').pop() ?? '') : '';
      if (![...this.catalog.values()].includes(appId))
        return reply(404, { error: { code: 'NotFound', message: 'App not found in catalog' } });
      const installed = this.userApps.get(m[1] ?? '') ?? [];
      if (installed.includes(appId))
        return reply(409, { error: { code: 'Conflict', message: 'App is already installed' } });
      this.userApps.set(m[1] ?? '', [...installed, appId]);
      return reply(201);
    }
    if (method === 'POST' && (m = /^\/users\/([^/]+)\/checkMemberGroups$/.exec(path))) {
      const mine = this.groups.get(m[1] ?? '') ?? [];
      const asked = (body as { groupIds?: string[] } | undefined)?.groupIds ?? [];
      return reply(200, { value: asked.filter((g) => mine.includes(g)) });
    }
    return reply(404, {
      error: { code: 'NotFound', message: `fake graph has no route ${method} ${path}` },
    });
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
