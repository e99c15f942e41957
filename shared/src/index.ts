// The core's only import path (`@shared`). Explicit named exports: what is not here is private.
export { AppError, APP_ERROR_CODES, isAppError, type AppErrorCode } from './errors';
export {
  ACTIVE_STATES,
  CALL_STATES,
  LOCALES,
  TERMINAL_STATES,
  asAadObjectId,
  customerMeetingUrl,
  isTerminal,
  type AadObjectId,
  type Actor,
  type AgentRef,
  type CallEvent,
  type CallEventType,
  type CallRecord,
  type CallState,
  type LobbyMessage,
  type Locale,
  type MeetingProviderKind,
  type MeetingRef,
  type MeetingStep,
  type MeetingSyncFailure,
  type NewCallEvent,
  type TeamRef,
} from './domain/call';
export {
  AGENT_UI_POLICY,
  CALL_ACTIONS,
  INITIAL_STATE,
  OVERDUE_ACTION,
  TRANSITIONS,
  agentControls,
  allowedActions,
  awaitsJoin,
  callPhase,
  checkTransition,
  fromStates,
  nextState,
  type ActorKind,
  type AgentControl,
  type CallAction,
  type CallPhase,
  type ControlSurface,
  type Transition,
  type TransitionCheck,
  type TransitionRefusal,
} from './domain/state-machine';
export {
  isCallMeeting,
  lookupKey,
  meetingThreadOf,
  threadIdOf,
  type MeetingKey,
} from './domain/meeting-key';
export {
  LINK_CODE_BYTES,
  LINK_CODE_PATTERN,
  base64Url,
  generateLinkCode,
  isLinkCodeShape,
} from './domain/link-code';
export { SMS_LIMITS, measureSms, type SmsEncoding, type SmsMeasure } from './domain/sms';
export { parseSupportContact, type SupportContact } from './domain/support-contact';
export {
  CallDtoSchema,
  CallResponseSchema,
  CallStateSchema,
  CallStreamEventSchema,
  CreateCallRequestSchema,
  CreateCallResponseSchema,
  CustomerNameSchema,
  DEFAULT_DURATION_MINUTES,
  DURATION_MAX,
  DURATION_MIN,
  DeclineRequestSchema,
  ListCallsQuerySchema,
  ListCallsResponseSchema,
  LobbyMessageRequestSchema,
  LocaleSchema,
  MeResponseSchema,
  MeetingLinkResponseSchema,
  STARTS_AT_HORIZON_DAYS,
  ShareTextsSchema,
  TITLE_MAX,
  TeamRefSchema,
  humanText,
  isTimeZone,
  type CallDto,
  type CallResponse,
  type CallStreamEvent,
  type CreateCallRequest,
  type CreateCallResponse,
  type DeclineRequest,
  type ListCallsQuery,
  type ListCallsResponse,
  type LobbyMessageRequest,
  type MeResponse,
  type MeetingLinkResponse,
  type ShareTexts,
} from './contracts/calls';
export {
  ClaimFormSchema,
  CustomerStatusSchema,
  type ClaimForm,
  type CustomerStatus,
} from './contracts/customer';
export {
  ErrorBodySchema,
  FieldIssueSchema,
  describeIssues,
  fieldIssues,
  type ErrorBody,
  type FieldIssue,
} from './contracts/errors';
export {
  CALL_SIGNAL_LIMITS,
  CallRoleSchema,
  CallSessionIdSchema,
  CallSessionRequestSchema,
  CallSessionResponseSchema,
  HeartbeatRequestSchema,
  IceCandidateSchema,
  IceServerSchema,
  PeerPresenceSchema,
  SessionDescriptionSchema,
  SignalAcceptedSchema,
  SignalCursorQuerySchema,
  SignalEnvelopeSchema,
  SignalMessageSchema,
  SignalPollResponseSchema,
  SignalRequestSchema,
  SignalStreamEventSchemas,
  type CallRole,
  type CallSessionRequest,
  type CallSessionResponse,
  type HeartbeatRequest,
  type IceServer,
  type PeerPresence,
  type SignalAccepted,
  type SignalCursorQuery,
  type SignalEnvelope,
  type SignalMessage,
  type SignalPollResponse,
  type SignalRequest,
  type SignalStreamEventName,
} from './contracts/call-signal';
export {
  DEFAULT_TEMPLATES,
  INTL_LOCALE,
  TEAMS_STORE_LINKS,
  TEAMS_TEMPLATES,
  TEMPLATES_BY_PROVIDER,
  TEMPLATE_PLACEHOLDERS,
  checkTemplateOverrides,
  fillTemplate,
  formatWhen,
  renderInvitation,
  resolveTemplates,
  type InvitationFacts,
  type MessageTemplates,
  type TemplateOverrides,
  type TemplatePlaceholder,
} from './templates/templates';
export { dateTimeFormat, plurals } from './templates/intl-cache';
export {
  CALL_PAGE_MESSAGES,
  CARD_MESSAGES,
  COMMON_MESSAGES,
  MessageSyntaxError,
  PAGE_MESSAGES,
  TAB_MESSAGES,
  TEMPLATE_MESSAGES,
  formatMessage,
  messageArguments,
  parseMessage,
  translator,
  type ArgumentKind,
  type CallKey,
  type CallPageKey,
  type CardKey,
  type Catalogue,
  type CommonKey,
  type MessageArgs,
  type PageKey,
  type TabKey,
  type TemplateKey,
  type Translator,
} from './i18n';
export type { Clock } from './ports/clock';
export type { RandomSource } from './ports/random-source';
export type { Hasher } from './ports/hasher';
export type {
  CallPatch,
  CallQuery,
  CallStore,
  TransitionInput,
  TransitionResult,
} from './ports/call-store';
export type {
  Admission,
  MeetingActor,
  MeetingProvider,
  NewMeeting,
} from './ports/meeting-provider';
export type { CallChange, CallEventBus, CallRoomNote } from './ports/call-event-bus';
export type {
  AppendSignalResult,
  CallSeat,
  CallSignalStore,
  NewSignal,
  SeatClaim,
  SeatClaimResult,
  StoredSignal,
} from './ports/call-signal-store';
export type { TeamDirectory } from './ports/team-directory';
export type { IceCallFacts, IceServerSource } from './ports/ice-server-source';
export type {
  ConversationKey,
  ChannelAddress,
  ConversationRef,
  ConversationStore,
} from './ports/conversation-store';
export type { Job, JobEnd, JobStatus, NewJob, Outbox, OutboxQueue } from './ports/outbox';
export type {
  NewOutboxEntry,
  NotificationOutbox,
  OutboxEntry,
  OutboxKind,
  OutboxStatus,
  SentCard,
} from './ports/notification-outbox';
export {
  agentActor,
  agentRef,
  isoPlus,
  loadForAgent,
  type AgentPrincipal,
  type CallDeps,
  type CallRoom,
  type CallRoomSettings,
  type CallSettings,
} from './use-cases/context';
export { toCallDto } from './use-cases/to-dto';
export {
  createCall,
  linkFor,
  prepareCall,
  shareTexts,
  type CreatedCall,
} from './use-cases/create-call';
export {
  admitCall,
  declineCall,
  endCallByAgent,
  refusalError,
  revokeCall,
  sendLobbyMessage,
  type AgentActionResult,
} from './use-cases/agent-actions';
export { meetingJoinLink } from './use-cases/meeting-link';
export { AgentPolicy, type AgentPolicySettings, type TokenGroups } from './use-cases/agent-policy';
export type { GroupMembership } from './ports/group-membership';
export {
  meetingStepsFor,
  recordMeetingFailure,
  runMeetingStep,
  type MeetingStepResult,
} from './use-cases/meeting-sync';
export type {
  MeetingSyncEntry,
  MeetingSyncOutbox,
  MeetingSyncStatus,
  NewMeetingSyncEntry,
} from './ports/meeting-sync-outbox';
export { reissueCall, reissueSchedule, type ReissueSchedule } from './use-cases/reissue-call';
export {
  LEAVE_ACTION,
  claimCall,
  claimLink,
  claimOpensAt,
  claimantStatus,
  customerStatus,
  deadLink,
  effectiveState,
  findByCode,
  isClaimant,
  leaveCall,
  loadForClaimant,
  lobbyDeadline,
  markPresent,
  notClaimant,
  overdueAction,
  stillHere,
  type Claim,
} from './use-cases/customer-actions';
export {
  customerLinkStatus,
  customerView,
  type AgentAwareness,
  type CustomerClaim,
  type CustomerDeadReason,
  type CustomerLinkStatus,
  type CustomerPage,
  type CustomerView,
  type CustomerViewRules,
} from './use-cases/customer-view';
export { sweepCallRooms, sweepDueCalls, type SweepResult } from './use-cases/sweep';
export { followCall, type FollowAction, type FollowOutcome } from './use-cases/follow-call';
export {
  abandonedBy,
  checkDelivery,
  notificationsFor,
  SILENT_EVENTS,
  type DeliveryCheck,
  type NotificationSettings,
} from './use-cases/notifications';
export {
  handleMeetingEvent,
  type MeetingEvent,
  type MeetingEventOutcome,
  type MeetingParticipant,
  type ParticipantOrigin,
  type MeetingWarning,
} from './use-cases/meeting-events';
export {
  moveCall,
  type MoveOutcome,
  type MoveRefusal,
  type MoveRequest,
} from './use-cases/move-call';
export {
  agentSide,
  customerSide,
  otherRole,
  peerPresence,
  requireTalking,
  roomOf,
  type CallSide,
} from './use-cases/call-room';
export { openCallSession } from './use-cases/open-call-session';
export { sendSignal } from './use-cases/send-signal';
export { readSignals, type RoomSnapshot } from './use-cases/read-signals';
export { callHeartbeat } from './use-cases/call-heartbeat';
export { clearCallRoom } from './use-cases/clear-call-room';
export {
  DURATION_STEPS,
  REPORT_COUNT_KEYS,
  SLOTS_PER_DAY,
  SLOT_MINUTES,
  addContribution,
  addDays,
  addSums,
  bucketWidth,
  contributionOf,
  dateOfDay,
  dayCounts,
  dayOfDate,
  daysBetween,
  durationBucket,
  emptyCounts,
  emptySums,
  localClock,
  localMinuteFormatter,
  localSlot,
  localTime,
  mergeHistogram,
  offsetOfSlot,
  offsetSpans,
  slotOf,
  slotStart,
  startOfLocalDay,
  summarise,
  type Contribution,
  type DurationSummary,
  type Histogram,
  type LocalTime,
  type OffsetSpan,
  type ReportCounts,
  type ReportEventRow,
  type ReportScope,
  type ReportSums,
} from './domain/report';
export {
  CallHistoryResponseSchema,
  HistoryActorSchema,
  REPORT_MAX_DAYS,
  ReportCountsSchema,
  ReportQuerySchema,
  ReportSchema,
  type CallHistoryResponse,
  type Report,
  type ReportQuery,
} from './contracts/reports';
export type {
  CallRow,
  CallRowQuery,
  InstantRange,
  ReportStore,
  ReportsGroup,
  RollUpResult,
  SlotQuery,
} from './ports/report-store';
export { authorizeReport, type ReportAccessDeps } from './use-cases/authorize-report';
export {
  WAIT_BANDS,
  getReport,
  instantsOfDays,
  scopeOf,
  type ReportDeps,
} from './use-cases/get-report';
export { getCallHistory } from './use-cases/get-call-history';
