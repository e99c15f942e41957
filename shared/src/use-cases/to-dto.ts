import type { CallRecord } from '../domain/call';
import type { CallDto } from '../contracts/calls';

/** The agent's view of a call: everything but the secrets (code hash, claim token, join URL). */
export function toCallDto(call: CallRecord): CallDto {
  return {
    id: call.id,
    state: call.state,
    version: call.version,
    title: call.title,
    startsAt: call.startsAt,
    durationMinutes: call.durationMinutes,
    expiresAt: call.expiresAt,
    customerLocale: call.customerLocale,
    timeZone: call.timeZone,
    agent: { id: call.agent.id, name: call.agent.name },
    ...(call.team ? { team: { ...call.team } } : {}),
    meetingProvider: call.meeting.provider,
    ...(call.customerName !== undefined ? { customerName: call.customerName } : {}),
    ...(call.claimedAt ? { claimedAt: call.claimedAt } : {}),
    ...(call.admittedAt ? { admittedAt: call.admittedAt } : {}),
    ...(call.admittedBy
      ? { admittedBy: { id: call.admittedBy.id, name: call.admittedBy.name } }
      : {}),
    ...(call.decidedAt ? { decidedAt: call.decidedAt } : {}),
    ...(call.declineReason ? { declineReason: call.declineReason } : {}),
    ...(call.endedAt ? { endedAt: call.endedAt } : {}),
    ...(call.lobbyMessage ? { lobbyMessage: { ...call.lobbyMessage } } : {}),
    ...(call.reissuedFrom ? { reissuedFrom: call.reissuedFrom } : {}),
    ...(call.reissuedTo ? { reissuedTo: call.reissuedTo } : {}),
    ...(call.meeting.syncFailure
      ? { meetingProblem: { step: call.meeting.syncFailure.step, at: call.meeting.syncFailure.at } }
      : {}),
    createdAt: call.createdAt,
    updatedAt: call.updatedAt,
  };
}
