import {
  CALL_STATES,
  CallHistoryResponseSchema,
  CallResponseSchema,
  ReportSchema,
  CreateCallResponseSchema,
  ErrorBodySchema,
  FieldIssueSchema,
  ListCallsResponseSchema,
  MeResponseSchema,
  MeetingLinkResponseSchema,
  type CallDto,
  type CallState,
  type CreateCallRequest,
  type CreateCallResponse,
  type MeResponse,
  type CallHistoryResponse,
  type Report,
} from '@shared';
import type { z } from 'zod';
import { ApiError } from './api-error';

/** Supplies the bearer token for a request; `undefined` sends none (embedded mode). */
export type TokenSource = () => Promise<string | undefined>;

export type ApiClientOptions = {
  readonly baseUrl: string;
  readonly getToken: TokenSource;
  readonly fetch?: typeof fetch | undefined;
};

export type ListCallsParams = {
  readonly scope: 'mine' | 'team';
  readonly teamId?: string | undefined;
  readonly status: 'active' | 'finished' | 'all';
};

export type CallAction = 'admit' | 'revoke' | 'end';

/** A report's filters (`GET /api/reports` and `/api/reports.csv`). Dates are local `YYYY-MM-DD`. */
export type ReportParams = {
  readonly scope: 'me' | 'team';
  readonly teamId?: string | undefined;
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
};

/** The agent API (`/api/...`), every response parsed with the core's zod contracts. */
export type ApiClient = {
  me(): Promise<MeResponse>;
  createCall(request: CreateCallRequest): Promise<CreateCallResponse>;
  listCalls(params: ListCallsParams): Promise<readonly CallDto[]>;
  getCall(id: string): Promise<CallDto>;
  act(id: string, action: CallAction): Promise<CallDto>;
  decline(id: string, reason: string | undefined): Promise<CallDto>;
  sendLobbyMessage(id: string, text: string): Promise<CallDto>;
  reissue(id: string): Promise<CreateCallResponse>;
  report(params: ReportParams): Promise<Report>;
  /** The per-call CSV export, downloaded with the same authorisation as the figures. */
  reportCsv(params: ReportParams): Promise<Blob>;
  callHistory(id: string): Promise<CallHistoryResponse>;
  /** The Teams meeting's join link (a Teams deep link), for **Join meeting**. */
  meetingLink(id: string): Promise<string>;
  /** Headers every request carries (also used by the event stream). */
  headers(): Promise<Record<string, string>>;
};

const asState = (value: unknown): CallState | undefined =>
  typeof value === 'string' && (CALL_STATES as readonly string[]).includes(value)
    ? (value as CallState)
    : undefined;

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  const headers = async (): Promise<Record<string, string>> => {
    const token = await options.getToken();
    return token ? { Authorization: `Bearer ${token}` } : {};
  };

  async function request<S extends z.ZodType>(
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<z.infer<S>> {
    let auth: Record<string, string>;
    try {
      auth = await headers();
    } catch (cause) {
      // Teams refused the SSO token (consent missing, signed out): nothing was sent.
      throw new ApiError('unauthorized', `${method} ${path}: no token`, undefined, undefined, {
        cause,
      });
    }
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...auth,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
      });
    } catch (cause) {
      throw new ApiError(
        'network',
        `${method} ${path} did not reach the server`,
        undefined,
        undefined,
        {
          cause,
        },
      );
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new ApiError('bad-response', `${method} ${path}: no JSON`, response.status, undefined, {
        cause,
      });
    }
    if (!response.ok) {
      const parsed = ErrorBodySchema.safeParse(json);
      if (!parsed.success) {
        throw new ApiError(
          'bad-response',
          `${method} ${path}: ${response.status}`,
          response.status,
        );
      }
      const { code, message, details } = parsed.data.error;
      const fields = FieldIssueSchema.array().safeParse(details?.['fields']);
      throw new ApiError(
        code as ApiError['code'],
        message,
        response.status,
        asState(details?.['state']),
        {
          fields: fields.success ? fields.data : [],
        },
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiError('bad-response', `${method} ${path}: unexpected body`, response.status);
    }
    return parsed.data;
  }

  const callPath = (id: string, action: string) => `/api/calls/${encodeURIComponent(id)}/${action}`;
  const reportQuery = (p: ReportParams) => {
    const query = new URLSearchParams({
      scope: p.scope,
      from: p.from,
      to: p.to,
      timeZone: p.timeZone,
    });
    if (p.teamId !== undefined) query.set('teamId', p.teamId);
    return query;
  };

  return {
    headers,
    me: () => request(MeResponseSchema, 'GET', '/api/me'),
    createCall: (body) => request(CreateCallResponseSchema, 'POST', '/api/calls', body),
    listCalls: async ({ scope, teamId, status }) => {
      const query = new URLSearchParams({ scope, status });
      if (teamId !== undefined) query.set('teamId', teamId);
      const { calls } = await request(ListCallsResponseSchema, 'GET', `/api/calls?${query}`);
      return calls;
    },
    getCall: async (id) =>
      (await request(CallResponseSchema, 'GET', `/api/calls/${encodeURIComponent(id)}`)).call,
    act: async (id, action) =>
      (await request(CallResponseSchema, 'POST', callPath(id, action), {})).call,
    decline: async (id, reason) =>
      (await request(CallResponseSchema, 'POST', callPath(id, 'decline'), reason ? { reason } : {}))
        .call,
    sendLobbyMessage: async (id, text) =>
      (await request(CallResponseSchema, 'POST', callPath(id, 'message'), { text })).call,
    reissue: (id) => request(CreateCallResponseSchema, 'POST', callPath(id, 'reissue'), {}),
    report: (params) => request(ReportSchema, 'GET', `/api/reports?${reportQuery(params)}`),
    reportCsv: async (params) => {
      const path = `/api/reports.csv?${reportQuery(params)}`;
      let response: Response;
      try {
        response = await doFetch(`${options.baseUrl}${path}`, {
          headers: { Accept: 'text/csv', ...(await headers()) },
          credentials: 'same-origin',
        });
      } catch (cause) {
        throw new ApiError(
          'network',
          `GET ${path} did not reach the server`,
          undefined,
          undefined,
          {
            cause,
          },
        );
      }
      if (!response.ok) {
        throw new ApiError(
          response.status === 403 ? 'forbidden' : 'bad-response',
          `GET ${path}: ${response.status}`,
          response.status,
        );
      }
      return response.blob();
    },
    callHistory: (id) => request(CallHistoryResponseSchema, 'GET', callPath(id, 'history')),
    meetingLink: async (id) =>
      (await request(MeetingLinkResponseSchema, 'GET', callPath(id, 'meeting-link'))).joinUrl,
  };
}
