import type {
  CallDto,
  CallHistoryResponse,
  CreateCallRequest,
  CreateCallResponse,
  MeResponse,
  Report,
} from '@shared';
import {
  ApiError,
  type ApiClient,
  type CallAction,
  type ListCallsParams,
  type ReportParams,
} from '../../../../tab/src/api';
import { aCreatedCall, aMe } from '../builders';

/** An in-memory agent API. Tests seed `calls` and read `requests`. */
export class FakeApiClient implements ApiClient {
  calls: CallDto[] = [];
  readonly requests: string[] = [];
  /** When set, the next request of that kind fails with this error. */
  failNext: Partial<Record<'list' | 'create' | 'action', ApiError>> = {};
  listResponses = 0;
  /** What `me()` answers (an `ApiError` rejects); the default is a bot that can reach the agent. */
  meAnswer: MeResponse | ApiError = aMe();
  meRequests = 0;

  /** What `report()` answers; tests set it. */
  reportAnswer: Report | ApiError = new ApiError('not-found', 'no report seeded', 404);
  histories: Record<string, CallHistoryResponse> = {};

  report(params: ReportParams): Promise<Report> {
    this.requests.push(`report ${params.scope} ${params.from}..${params.to} ${params.timeZone}`);
    const answer = this.reportAnswer;
    return answer instanceof ApiError ? Promise.reject(answer) : Promise.resolve(answer);
  }

  reportCsv(params: ReportParams): Promise<Blob> {
    this.requests.push(`csv ${params.scope}`);
    return Promise.resolve(new Blob(['\uFEFFcall_id\r\n'], { type: 'text/csv' }));
  }

  callHistory(id: string): Promise<CallHistoryResponse> {
    const history = this.histories[id];
    return history ? Promise.resolve(history) : Promise.reject(new ApiError('not-found', id, 404));
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }

  me(): Promise<MeResponse> {
    this.meRequests += 1;
    const answer = this.meAnswer;
    return answer instanceof ApiError ? Promise.reject(answer) : Promise.resolve(answer);
  }

  createCall(request: CreateCallRequest): Promise<CreateCallResponse> {
    this.requests.push(`create ${JSON.stringify(request)}`);
    const failure = this.take('create');
    if (failure) return Promise.reject(failure);
    const created = aCreatedCall();
    this.calls.unshift(created.call);
    return Promise.resolve(created);
  }

  listCalls(params: ListCallsParams): Promise<readonly CallDto[]> {
    this.requests.push(`list ${params.scope}${params.teamId ? ` ${params.teamId}` : ''}`);
    this.listResponses += 1;
    const failure = this.take('list');
    if (failure) return Promise.reject(failure);
    return Promise.resolve([...this.calls]);
  }

  getCall(id: string): Promise<CallDto> {
    const call = this.calls.find((c) => c.id === id);
    return call ? Promise.resolve(call) : Promise.reject(new ApiError('not-found', id, 404));
  }

  act(id: string, action: CallAction): Promise<CallDto> {
    this.requests.push(`${action} ${id}`);
    const state = action === 'admit' ? 'admitted' : action === 'revoke' ? 'revoked' : 'ended';
    return this.move(id, state);
  }

  meetingLink(id: string): Promise<string> {
    this.requests.push(`meeting-link ${id}`);
    return Promise.resolve(
      `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${id}%40thread.v2/0`,
    );
  }

  decline(id: string, reason: string | undefined): Promise<CallDto> {
    this.requests.push(`decline ${id}${reason ? ` ${reason}` : ''}`);
    return this.move(id, 'declined');
  }

  sendLobbyMessage(id: string, text: string): Promise<CallDto> {
    this.requests.push(`message ${id} ${text}`);
    const index = this.calls.findIndex((c) => c.id === id);
    const call = this.calls[index];
    if (!call) return Promise.reject(new ApiError('not-found', id, 404));
    const noted = {
      ...call,
      version: call.version + 1,
      lobbyMessage: { text, at: new Date().toISOString() },
    };
    this.calls[index] = noted;
    return Promise.resolve(noted);
  }

  reissue(id: string): Promise<CreateCallResponse> {
    this.requests.push(`reissue ${id}`);
    const created = aCreatedCall();
    this.calls.unshift(created.call);
    return Promise.resolve(created);
  }

  private move(id: string, state: CallDto['state']): Promise<CallDto> {
    const failure = this.take('action');
    if (failure) return Promise.reject(failure);
    const index = this.calls.findIndex((c) => c.id === id);
    const call = this.calls[index];
    if (!call) return Promise.reject(new ApiError('not-found', id, 404));
    const moved = { ...call, state, version: call.version + 1 };
    this.calls[index] = moved;
    return Promise.resolve(moved);
  }

  private take(kind: 'list' | 'create' | 'action'): ApiError | undefined {
    const failure = this.failNext[kind];
    delete this.failNext[kind];
    return failure;
  }
}
