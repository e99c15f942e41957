import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  mergeClasses,
} from '@fluentui/react-components';
import {
  COMMON_MESSAGES,
  agentControls,
  awaitsJoin,
  formatMessage,
  callPhase,
  reissueSchedule,
  type CallDto,
  type CallHistoryResponse,
} from '@shared';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../../app/i18n';
import { CallHistory } from '../../components/CallHistory';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { StateBadge } from '../../components/StateBadge';
import { WaitTimer } from '../../components/WaitTimer';
import { useCallListStyles } from './CallList.styles';

/** A call's pending or failed action. */
export type CallNotice =
  | { readonly status: 'pending' }
  | {
      readonly status: 'failed';
      readonly code: string;
      readonly state?: CallDto['state'] | undefined;
    };

export type CallItemHandlers = {
  readonly onAdmit: (id: string) => void;
  readonly onDecline: (id: string, reason: string | undefined) => void;
  readonly onRevoke: (id: string) => void;
  readonly onEnd: (id: string) => void;
  /** Opens the call's Teams meeting (Teams meetings only); absent outside Teams. */
  readonly onJoinMeeting?: ((id: string) => void) | undefined;
  /** A short note shown on the waiting customer's page. */
  readonly onSendNote: (id: string, text: string) => void;
  readonly onReissue: (id: string) => void;
  /** Reopens the link made on this device; absent when this device never saw the link. */
  readonly onShowLinkAgain: (id: string) => void;
  readonly canShowLinkAgain: (id: string) => boolean;
  readonly onDismissNotice: (id: string) => void;
  /** The call's audit trail; without it no History button is shown. */
  readonly loadHistory?: ((id: string) => Promise<CallHistoryResponse>) | undefined;
};

export type CallItemProps = CallItemHandlers & {
  readonly call: CallDto;
  readonly notice: CallNotice | undefined;
  /** Shows the team name (in "my calls" a team link is marked as such). */
  readonly showTeam: boolean;
};

type Confirming = 'end' | 'revoke' | 'reissue';

/** Where keyboard focus goes to show a call: its heading (`tabIndex=-1`). */
export const callHeadingSelector = (id: string) => `[data-call-heading="${id}"]`;

/**
 * One call: state, customer, live wait time, and the actions its state allows. End, Revoke and
 * "Send a new link" ask once and sit apart from the harmless actions.
 */
export function CallItem({ call, notice, showTeam, ...on }: CallItemProps) {
  const { t, formatDateTime } = useI18n();
  const styles = useCallListStyles();
  const [mode, setMode] = useState<'actions' | 'declining' | 'noting'>('actions');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  // Kept after closing, so the dialog does not change its text while it fades out.
  const [confirming, setConfirming] = useState<Confirming>('end');
  const [asking, setAsking] = useState(false);
  // The dialog has no trigger of Fluent's, so it restores focus to the button that opened it itself.
  const opener = useRef<HTMLElement | null>(null);
  const restoreFocus = useRef(false);
  const ask = (what: Confirming, from: HTMLElement) => {
    opener.current = from;
    setConfirming(what);
    setAsking(true);
  };
  const closeDialog = () => {
    restoreFocus.current = true;
    setAsking(false);
  };
  useEffect(() => {
    if (asking || !restoreFocus.current) return;
    restoreFocus.current = false;
    const target = opener.current;
    // After the dialog's own focus handling: it would otherwise leave focus on <body>.
    const timer = setTimeout(() => {
      if (target?.isConnected) target.focus();
      else headingRef.current?.focus();
    }, 0);
    return () => clearTimeout(timer);
  }, [asking]);
  const titleId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const declineRef = useRef<HTMLButtonElement>(null);
  const noteRef = useRef<HTMLButtonElement>(null);
  // Set when a form closes: the button that opened it (cancel) or the card's heading (sent).
  const focusNext = useRef<'decline' | 'note' | 'heading' | undefined>(undefined);
  const pending = notice?.status === 'pending';
  const name = call.customerName ?? t('noCustomerYet');
  const stateLabel = t(`state_${call.state}`);

  const confirmDecline = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    on.onDecline(call.id, trimmed === '' ? undefined : trimmed);
    closeForm('heading');
    setReason('');
  };

  const confirmNote = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = note.trim();
    if (trimmed === '') return;
    on.onSendNote(call.id, trimmed);
    closeForm('heading');
    setNote('');
  };

  function closeForm(next: 'decline' | 'note' | 'heading') {
    focusNext.current = next;
    setMode('actions');
    // Cancelled or sent: the next form starts empty.
    setReason('');
    setNote('');
  }

  const cancelOnEscape = (event: KeyboardEvent, opener: 'decline' | 'note') => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    closeForm(opener);
  };

  useEffect(() => {
    const next = focusNext.current;
    if (mode !== 'actions' || !next) return;
    focusNext.current = undefined;
    const target =
      next === 'decline' ? declineRef.current : next === 'note' ? noteRef.current : undefined;
    (target ?? headingRef.current)?.focus();
  }, [mode]);

  const confirm = () => {
    const action = confirming;
    closeDialog();
    if (action === 'end') on.onEnd(call.id);
    else if (action === 'revoke') on.onRevoke(call.id);
    else if (action === 'reissue') on.onReissue(call.id);
  };
  const phase = callPhase(call.state);
  // The core's UI policy: e.g. no "Send a new link" while the customer waits or is in the call.
  const controls = agentControls(call, 'tab');
  const offers = (control: (typeof controls)[number]) => controls.includes(control);
  // A form only makes sense while its action is still offered.
  const shownMode =
    (mode === 'declining' && offers('decline')) || (mode === 'noting' && offers('message'))
      ? mode
      : 'actions';
  const schedule = confirming === 'reissue' ? reissueSchedule(call, new Date()) : undefined;
  // The link made on this device can be shown again while it still waits for its customer.
  const linkAgain = phase === 'open' && on.canShowLinkAgain(call.id);

  return (
    <li
      className={mergeClasses(styles.item, phase === 'lobby' && styles.waiting)}
      aria-labelledby={titleId}
    >
      <div className={styles.top}>
        <StateBadge state={call.state} label={stateLabel} />
        <Text
          as="h3"
          id={titleId}
          ref={headingRef}
          tabIndex={-1}
          data-call-heading={call.id}
          weight="semibold"
          className={styles.title}
        >
          {call.customerName ? `${call.customerName} · ${call.title}` : call.title}
        </Text>
      </div>
      <div className={styles.meta}>
        {phase === 'lobby' && call.claimedAt ? (
          <WaitTimer
            className={styles.timer}
            since={call.claimedAt}
            render={(time) => t('waitingFor', { time })}
          />
        ) : phase === 'live' && call.admittedAt ? (
          <WaitTimer
            className={styles.timer}
            since={call.admittedAt}
            render={(time) => t('inCallFor', { time })}
          />
        ) : phase === 'open' ? (
          <Text>{t('startsAt', { time: formatDateTime(call.startsAt) })}</Text>
        ) : (
          !call.customerName && <Text>{name}</Text>
        )}
        {call.admittedBy && <Text>{t('admittedBy', { name: call.admittedBy.name })}</Text>}
        {phase === 'lobby' && call.lobbyMessage && (
          <Text>{t('noteSent', { text: call.lobbyMessage.text })}</Text>
        )}
        {call.declineReason && (
          <Text>{t('declineReasonShown', { reason: call.declineReason })}</Text>
        )}
        {showTeam && call.team && <Text>{t('teamBadge', { team: call.team.name })}</Text>}
        {phase === 'over' && (
          <Text>{formatDateTime(call.endedAt ?? call.decidedAt ?? call.updatedAt)}</Text>
        )}
      </div>

      {shownMode === 'declining' ? (
        <form
          className={styles.actions}
          onSubmit={confirmDecline}
          onKeyDown={(event) => cancelOnEscape(event, 'decline')}
        >
          <Field label={t('declineReasonLabel')}>
            <Input
              value={reason}
              maxLength={200}
              onChange={(_, data) => setReason(data.value)}
              autoFocus
            />
          </Field>
          <Button type="submit" appearance="primary" disabledFocusable={pending}>
            {t('confirmDecline', { name })}
          </Button>
          <Button onClick={() => closeForm('decline')}>{t('cancel')}</Button>
        </form>
      ) : shownMode === 'noting' ? (
        <form
          className={styles.actions}
          onSubmit={confirmNote}
          onKeyDown={(event) => cancelOnEscape(event, 'note')}
        >
          <Field label={t('noteLabel', { name })}>
            <Input
              value={note}
              maxLength={200}
              onChange={(_, data) => setNote(data.value)}
              autoFocus
            />
          </Field>
          <Button
            type="submit"
            appearance="primary"
            disabledFocusable={pending || note.trim() === ''}
          >
            {t('sendNoteConfirm')}
          </Button>
          <Button onClick={() => closeForm('note')}>{t('cancel')}</Button>
        </form>
      ) : (
        <div className={styles.actions}>
          {offers('admit') && (
            <Button
              appearance="primary"
              disabledFocusable={pending}
              aria-label={t('admitName', { name })}
              onClick={() => on.onAdmit(call.id)}
            >
              {t('admit')}
            </Button>
          )}
          {on.onJoinMeeting &&
            call.meetingProvider === 'teams' &&
            (phase === 'lobby' || phase === 'live') && (
              <Button
                appearance={awaitsJoin(call.state) ? 'primary' : 'secondary'}
                disabledFocusable={pending}
                aria-label={t('joinMeetingTitle', { title: call.title })}
                onClick={() => on.onJoinMeeting?.(call.id)}
              >
                {t('joinMeeting')}
              </Button>
            )}
          {offers('decline') && (
            <Button
              ref={declineRef}
              disabledFocusable={pending}
              aria-label={t('declineName', { name })}
              onClick={() => setMode('declining')}
            >
              {t('decline')}
            </Button>
          )}
          {offers('message') && phase === 'lobby' && (
            <Button
              disabledFocusable={pending}
              aria-label={t('moreMinutesName', { name })}
              // A note extends the customer's wait; it is written in the customer's language.
              onClick={() =>
                on.onSendNote(
                  call.id,
                  formatMessage(
                    call.customerLocale,
                    COMMON_MESSAGES[call.customerLocale].moreMinutesNote,
                  ),
                )
              }
            >
              {t('moreMinutes')}
            </Button>
          )}
          {offers('message') && (
            <Button
              ref={noteRef}
              disabledFocusable={pending}
              aria-label={t('sendNoteName', { name })}
              onClick={() => setMode('noting')}
            >
              {t('sendNote')}
            </Button>
          )}
          {linkAgain && (
            <Button
              disabledFocusable={pending}
              aria-label={t('copyAgainTitle', { title: call.title })}
              onClick={() => on.onShowLinkAgain(call.id)}
            >
              {t('copyAgain')}
            </Button>
          )}
          {pending && <Spinner size="tiny" aria-label={t('loadingCalls')} />}
          <div className={styles.destructive}>
            {offers('end') && (
              <Button
                disabledFocusable={pending}
                aria-label={t('endTitle', { title: call.title })}
                onClick={(event) => ask('end', event.currentTarget)}
              >
                {t('end')}
              </Button>
            )}
            {offers('revoke') && (
              <Button
                disabledFocusable={pending}
                aria-label={t('revokeTitle', { title: call.title })}
                onClick={(event) => ask('revoke', event.currentTarget)}
              >
                {t('revoke')}
              </Button>
            )}
            {offers('reissue') && !linkAgain && (
              <Button
                disabledFocusable={pending}
                aria-label={t('reissueTitle', { title: call.title })}
                onClick={(event) => ask('reissue', event.currentTarget)}
              >
                {t('reissue')}
              </Button>
            )}
          </div>
        </div>
      )}
      {call.meetingProblem && (
        <MessageBar intent="warning">
          <MessageBarBody>{t(`meetingProblem_${call.meetingProblem.step}`)}</MessageBarBody>
        </MessageBar>
      )}
      <ConfirmDialog
        open={asking}
        title={
          confirming === 'end'
            ? t('confirmEndTitle', { title: call.title })
            : confirming === 'revoke'
              ? t('confirmRevokeTitle', { title: call.title })
              : t('confirmReissueTitle', { title: call.title })
        }
        body={
          confirming === 'end'
            ? t('confirmEndBody')
            : confirming === 'revoke'
              ? t('confirmRevokeBody')
              : schedule
                ? t(schedule.keepsAppointment ? 'confirmReissueKept' : 'confirmReissueNow', {
                    time: formatDateTime(schedule.startsAt),
                    duration: schedule.durationMinutes,
                  })
                : ''
        }
        confirmLabel={
          confirming === 'end'
            ? t('end')
            : confirming === 'revoke'
              ? t('revoke')
              : t('confirmReissueButton')
        }
        cancelLabel={t('cancel')}
        onConfirm={confirm}
        onCancel={closeDialog}
      />
      {notice?.status === 'failed' && (
        <ErrorNotice
          title={
            notice.code === 'state-conflict' && notice.state
              ? t('conflict', { state: t(`state_${notice.state}`) })
              : t('actionFailed')
          }
          code={notice.code}
          onDismiss={() => on.onDismissNotice(call.id)}
        />
      )}
      {on.loadHistory && <CallHistory callId={call.id} title={call.title} load={on.loadHistory} />}
    </li>
  );
}
