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
import { agentControls, callPhase, type CallDto, type CallHistoryResponse } from '@shared';
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../app/i18n';
import { CallHistory } from '../../components/CallHistory';
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

/** One call: state, customer, live wait time, and the actions its state allows. */
export function CallItem({ call, notice, showTeam, ...on }: CallItemProps) {
  const { t, formatDateTime } = useI18n();
  const styles = useCallListStyles();
  const [mode, setMode] = useState<'actions' | 'declining' | 'noting'>('actions');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const titleId = useId();
  const pending = notice?.status === 'pending';
  const name = call.customerName ?? t('noCustomerYet');
  const stateLabel = t(`state_${call.state}`);

  const confirmDecline = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = reason.trim();
    on.onDecline(call.id, trimmed === '' ? undefined : trimmed);
    setMode('actions');
    setReason('');
  };

  const confirmNote = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = note.trim();
    if (trimmed === '') return;
    on.onSendNote(call.id, trimmed);
    setMode('actions');
    setNote('');
  };
  const phase = callPhase(call.state);
  const controls = agentControls(call, 'tab');
  const offers = (control: (typeof controls)[number]) => controls.includes(control);
  // A form only makes sense while its action is still offered.
  const shownMode =
    (mode === 'declining' && offers('decline')) || (mode === 'noting' && offers('message'))
      ? mode
      : 'actions';
  // The link made on this device can be shown again while it still waits for its customer.
  const linkAgain = phase === 'open' && on.canShowLinkAgain(call.id);

  return (
    <li
      className={mergeClasses(styles.item, phase === 'lobby' && styles.waiting)}
      aria-labelledby={titleId}
    >
      <div className={styles.top}>
        <StateBadge state={call.state} label={stateLabel} />
        <Text id={titleId} weight="semibold" className={styles.title}>
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
        <form className={styles.actions} onSubmit={confirmDecline}>
          <Field label={t('declineReasonLabel')}>
            <Input
              value={reason}
              maxLength={200}
              onChange={(_, data) => setReason(data.value)}
              autoFocus
            />
          </Field>
          <Button type="submit" appearance="primary" disabled={pending}>
            {t('confirmDecline', { name })}
          </Button>
          <Button onClick={() => setMode('actions')}>{t('cancel')}</Button>
        </form>
      ) : shownMode === 'noting' ? (
        <form className={styles.actions} onSubmit={confirmNote}>
          <Field label={t('noteLabel', { name })}>
            <Input
              value={note}
              maxLength={200}
              onChange={(_, data) => setNote(data.value)}
              autoFocus
            />
          </Field>
          <Button type="submit" appearance="primary" disabled={pending || note.trim() === ''}>
            {t('sendNoteConfirm')}
          </Button>
          <Button onClick={() => setMode('actions')}>{t('cancel')}</Button>
        </form>
      ) : (
        <div className={styles.actions}>
          {offers('admit') && (
            <Button
              appearance="primary"
              disabled={pending}
              aria-label={t('admitName', { name })}
              onClick={() => on.onAdmit(call.id)}
            >
              {t('admit')}
            </Button>
          )}
          {on.onJoinMeeting &&
            call.meetingProvider === 'teams' &&
            (call.state === 'waiting' || call.state === 'admitted' || call.state === 'in_call') && (
              <Button
                appearance={call.state === 'admitted' ? 'primary' : 'secondary'}
                disabled={pending}
                aria-label={t('joinMeetingTitle', { title: call.title })}
                onClick={() => on.onJoinMeeting?.(call.id)}
              >
                {t('joinMeeting')}
              </Button>
            )}
          {offers('decline') && (
            <Button
              disabled={pending}
              aria-label={t('declineName', { name })}
              onClick={() => setMode('declining')}
            >
              {t('decline')}
            </Button>
          )}
          {offers('message') && (
            <Button
              disabled={pending}
              aria-label={t('sendNoteName', { name })}
              onClick={() => setMode('noting')}
            >
              {t('sendNote')}
            </Button>
          )}
          {offers('end') && (
            <Button
              disabled={pending}
              aria-label={t('endTitle', { title: call.title })}
              onClick={() => on.onEnd(call.id)}
            >
              {t('end')}
            </Button>
          )}
          {linkAgain && (
            <Button
              disabled={pending}
              aria-label={t('copyAgainTitle', { title: call.title })}
              onClick={() => on.onShowLinkAgain(call.id)}
            >
              {t('copyAgain')}
            </Button>
          )}
          {offers('revoke') && (
            <Button
              disabled={pending}
              aria-label={t('revokeTitle', { title: call.title })}
              onClick={() => on.onRevoke(call.id)}
            >
              {t('revoke')}
            </Button>
          )}
          {offers('reissue') && !linkAgain && (
            <Button
              disabled={pending}
              aria-label={t('reissueTitle', { title: call.title })}
              onClick={() => on.onReissue(call.id)}
            >
              {t('reissue')}
            </Button>
          )}
          {pending && <Spinner size="tiny" aria-label={t('loadingCalls')} />}
        </div>
      )}
      {call.meetingProblem && (
        <MessageBar intent="warning">
          <MessageBarBody>{t(`meetingProblem_${call.meetingProblem.step}`)}</MessageBarBody>
        </MessageBar>
      )}
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
