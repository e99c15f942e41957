import {
  asAadObjectId,
  claimLink,
  createCall,
  resolveTemplates,
  type AgentPrincipal,
  type CallDeps,
  type CallStore,
  type CreateCallRequest,
  type TeamDirectory,
} from '@shared';
import { BrowserMeetingProvider } from '../../../bot/src/adapters/meetings/browser-meeting-provider';
import { InMemoryCallEventBus } from '../../../bot/src/adapters/system/in-memory-call-event-bus';
import { CryptoRandomSource, NodeHasher } from '../../../bot/src/adapters/system/node-system';
import type { Logger, LogFields } from '../../../bot/src/logger';
import { FakeCallStore } from '../../fakes/fake-call-store';
import { FakeClock } from '../../fakes/fake-clock';

/** A logger that keeps lines, so tests can check nothing personal is logged. */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: LogFields | undefined }[] = [];
  debug = (message: string, fields?: LogFields) =>
    void this.lines.push({ level: 'debug', message, fields });
  info = (message: string, fields?: LogFields) =>
    void this.lines.push({ level: 'info', message, fields });
  warn = (message: string, fields?: LogFields) =>
    void this.lines.push({ level: 'warn', message, fields });
  error = (message: string, fields?: LogFields) =>
    void this.lines.push({ level: 'error', message, fields });
  text(): string {
    return JSON.stringify(this.lines);
  }
}

/** A team directory with explicit members. */
export class FakeTeamDirectory implements TeamDirectory {
  readonly members = new Map<string, Set<string>>();
  add(teamId: string, agentId: string): this {
    this.members.set(teamId, new Set([...(this.members.get(teamId) ?? []), agentId]));
    return this;
  }
  isMember(agentId: string, teamId: string): Promise<boolean> {
    return Promise.resolve(this.members.get(teamId)?.has(agentId) ?? false);
  }
}

export const ALICE: AgentPrincipal = { id: asAadObjectId('aad-alice'), name: 'Alice Agent' };
export const BOB: AgentPrincipal = { id: asAadObjectId('aad-bob'), name: 'Bob Builder' };
export const CUSTOMER = 'Anna Schmidt';
export const PUBLIC_BASE_URL = 'http://localhost:3978';

/** Core dependencies on fakes (or on the given store). */
export function aWorld(options: { store?: CallStore; clock?: FakeClock } = {}) {
  const clock = options.clock ?? new FakeClock();
  const random = new CryptoRandomSource();
  const teams = new FakeTeamDirectory();
  const deps: CallDeps = {
    store: options.store ?? new FakeCallStore(),
    meetings: new BrowserMeetingProvider(random),
    bus: new InMemoryCallEventBus(),
    clock,
    random,
    hasher: new NodeHasher(),
    teams,
    settings: {
      publicBaseUrl: PUBLIC_BASE_URL,
      linkGraceMinutes: 60,
      lobbyTimeoutSeconds: 900,
      lobbyWarningSeconds: 120,
      earlyJoinMinutes: 30,
      lobbyOpenSeconds: 120,
      defaultTimeZone: 'UTC',
      templates: resolveTemplates(),
    },
  };
  return { deps, clock, teams };
}

/** A call of `agent` whose customer now waits in the lobby. */
export async function aWaitingCall(
  deps: CallDeps,
  agent: AgentPrincipal = ALICE,
  request: CreateCallRequest = {},
  customerName = CUSTOMER,
) {
  const created = await createCall(deps, agent, { title: 'Router setup', ...request });
  const claim = await claimLink(deps, created.code, customerName, undefined);
  return { ...created, call: claim.call };
}
