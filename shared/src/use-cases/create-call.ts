import type { CallRecord, Locale, TeamRef } from '../domain/call';
import { generateLinkCode } from '../domain/link-code';
import { measureSms } from '../domain/sms';
import { INITIAL_STATE } from '../domain/state-machine';
import {
  DEFAULT_DURATION_MINUTES,
  STARTS_AT_HORIZON_DAYS,
  type CreateCallRequest,
  type ShareTexts,
} from '../contracts/calls';
import { AppError } from '../errors';
import { renderInvitation } from '../templates/templates';
import { agentActor, agentRef, isoPlus, type AgentPrincipal, type CallDeps } from './context';

/** A new call and what the agent sends. `code` is the only copy of the link's secret. */
export type CreatedCall = ShareTexts & { readonly call: CallRecord; readonly code: string };

/** The short link for a code. */
export const linkFor = (deps: CallDeps, code: string): string =>
  `${deps.settings.publicBaseUrl}/j/${code}`;

/** Texts for a call and its link, in the customer's language. */
export function shareTexts(deps: CallDeps, call: CallRecord, link: string): ShareTexts {
  const rendered = renderInvitation(
    {
      link,
      title: call.title,
      agentName: call.agent.name,
      startsAt: call.startsAt,
      durationMinutes: call.durationMinutes,
      expiresAt: call.expiresAt,
      timeZone: call.timeZone,
      locale: call.customerLocale,
    },
    deps.settings.templates,
  );
  const sms = measureSms(rendered.sms);
  return {
    link,
    message: { subject: rendered.subject, text: rendered.text },
    sms: { text: rendered.sms, encoding: sms.encoding, units: sms.units, segments: sms.segments },
  };
}

type NewCallInput = {
  readonly title?: string | undefined;
  readonly startsAt?: string | undefined;
  readonly durationMinutes?: number | undefined;
  readonly customerLocale?: Locale | undefined;
  readonly timeZone?: string | undefined;
  readonly team?: TeamRef | undefined;
  readonly reissuedFrom?: string | undefined;
};

/** Builds (but does not store) a call: makes the meeting and the code. */
export async function prepareCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  input: NewCallInput,
): Promise<{ call: CallRecord; code: string }> {
  const now = deps.clock.now().toISOString();
  const locale = input.customerLocale ?? 'en';
  const title = input.title ?? deps.settings.templates[locale].defaultTitle;
  const startsAt = input.startsAt ? new Date(input.startsAt).toISOString() : now;
  const durationMinutes = input.durationMinutes ?? DEFAULT_DURATION_MINUTES;
  const endsAt = isoPlus(startsAt, durationMinutes * 60);
  if (endsAt <= now) {
    throw new AppError('invalid-input', 'startsAt: the call would be over before it is created', {
      details: { fields: [{ field: 'startsAt', reason: 'ends-in-past' }] },
    });
  }
  if (startsAt > isoPlus(now, STARTS_AT_HORIZON_DAYS * 86_400)) {
    throw new AppError(
      'invalid-input',
      `startsAt: must be within ${STARTS_AT_HORIZON_DAYS} days from now`,
    );
  }
  const timeZone = input.timeZone ?? deps.settings.defaultTimeZone;
  if (input.team && !(await deps.teams.isMember(principal.id, input.team.id))) {
    throw new AppError(
      'forbidden',
      `Agent ${principal.id} is not a member of team ${input.team.id}`,
    );
  }
  const meeting = await deps.meetings.create(
    { title, startsAt, durationMinutes, timeZone },
    { organizer: agentRef(principal), userAssertion: principal.userAssertion },
  );
  const code = generateLinkCode(deps.random);
  const call: CallRecord = {
    id: deps.random.uuid(),
    codeHash: deps.hasher.sha256Hex(code),
    state: INITIAL_STATE,
    version: 1,
    title,
    startsAt,
    durationMinutes,
    expiresAt: isoPlus(endsAt, deps.settings.linkGraceMinutes * 60),
    customerLocale: locale,
    timeZone,
    agent: agentRef(principal),
    team: input.team,
    meeting,
    reissuedFrom: input.reissuedFrom,
    createdAt: now,
    updatedAt: now,
  };
  return { call, code };
}

/** `POST /api/calls`: makes the meeting, the link and the texts. */
export async function createCall(
  deps: CallDeps,
  principal: AgentPrincipal,
  request: CreateCallRequest,
): Promise<CreatedCall> {
  const { call, code } = await prepareCall(deps, principal, request);
  const event = await deps.store.insert(call, {
    type: 'created',
    at: call.createdAt,
    actor: agentActor(principal),
    toState: call.state,
  });
  await deps.bus.publish({ call, event });
  return { call, code, ...shareTexts(deps, call, linkFor(deps, code)) };
}
