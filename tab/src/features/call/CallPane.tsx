import {
  Badge,
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Text,
  Title3,
  ToggleButton,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Quality } from '../../call';
import { useI18n, type Translate } from '../../app/i18n';
import { ChatPanel } from './ChatPanel';
import { useCallPaneStyles } from './CallPane.styles';
import { DrawingEditor } from './DrawingEditor';
import { useCallSession, type CallSessionOptions } from './useCallSession';

export type CallPaneProps = CallSessionOptions & {
  readonly customerName: string;
  /** Ends the call for both (the API's end); the pane stops its tracks itself. */
  readonly onEnd: () => Promise<void>;
  /** Closes the pane once the call is over. */
  readonly onClose: () => void;
};

const QUALITY_COLOUR = {
  good: 'success',
  fair: 'warning',
  poor: 'danger',
  unknown: 'informative',
} as const;

function qualityDetails(q: Quality, t: Translate): string {
  const details = t('callQualityDetails', {
    rtt: q.rttMs ?? '–',
    loss: q.lossPercent ?? '–',
    kbps: q.inKbps ?? '–',
    out: q.outKbps ?? '–',
  });
  return q.localCandidateType === 'relay' ? `${details}, ${t('callRelay')}` : details;
}

/** Shows a MediaStream in a <video> (React has no srcObject prop). */
function useStream(stream: MediaStream | undefined) {
  const ref = useRef<HTMLVideoElement>(null);
  const [blocked, setBlocked] = useState(false);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== (stream ?? null)) video.srcObject = stream ?? null;
    if (stream)
      video.play().then(
        () => setBlocked(false),
        () => setBlocked(true),
      );
  }, [stream]);
  const retry = useCallback(
    () =>
      void ref.current?.play().then(
        () => setBlocked(false),
        () => setBlocked(true),
      ),
    [],
  );
  return [ref, blocked, retry] as const;
}

/** The agent's side of the browser call: video, controls, quality, snapshot and drawing, chat. */
export function CallPane(props: CallPaneProps) {
  const { customerName, onEnd, onClose } = props;
  const { t } = useI18n();
  const styles = useCallPaneStyles();
  const session = useCallSession(props);
  const { state } = session;
  const [remoteRef, soundBlocked, retrySound] = useStream(state.remote);
  const [selfRef] = useStream(state.local);
  const [ending, setEnding] = useState(false);
  const over = state.phase === 'ended' || state.phase === 'replaced' || state.phase === 'refused';
  const live =
    !over && state.media !== 'asking' && state.media !== 'denied' && state.media !== 'missing';

  const end = async () => {
    setEnding(true);
    try {
      await onEnd();
    } finally {
      session.hangUp();
      setEnding(false);
    }
  };

  const phaseText =
    state.phase === 'refused' && state.refusal === 'call-busy'
      ? t('callBusy')
      : state.phase === 'refused' && state.refusal === 'forbidden'
        ? t('callForbidden')
        : t(`callPhase_${state.phase}`);

  return (
    <section className={styles.root} aria-labelledby="call-pane-heading" data-testid="call-pane">
      <div className={styles.header}>
        <Title3 as="h2" id="call-pane-heading" tabIndex={-1} className={styles.grow}>
          {t('callPaneHeading', { name: customerName })}
        </Title3>
        {state.quality && live && (
          <div className={styles.quality} data-testid="call-quality">
            <Badge appearance="tint" color={QUALITY_COLOUR[state.quality.level]}>
              {t(`callQuality_${state.quality.level}`)}
            </Badge>
            <Text size={200}>{qualityDetails(state.quality, t)}</Text>
          </div>
        )}
        {over ? (
          <Button onClick={onClose}>{t('callClose')}</Button>
        ) : (
          <Button appearance="primary" disabled={ending} onClick={() => void end()}>
            {t('callEnd')}
          </Button>
        )}
      </div>
      <Text role="status" aria-live="polite" data-testid="call-phase">
        {state.media === 'asking' ? t('callStarting') : phaseText}
      </Text>
      {state.media === 'asking' && <Text size={200}>{t('callWhyMedia')}</Text>}
      {(state.media === 'denied' || state.media === 'missing') && (
        <MessageBar intent="warning">
          <MessageBarBody>
            {t(state.media === 'denied' ? 'callMediaDenied' : 'callMediaMissing')}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => session.retryMedia(true)}>{t('callRetryMedia')}</Button>
            <Button onClick={() => session.retryMedia(false)}>{t('callJoinWithout')}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {live && (
        <div className={styles.body}>
          <div className={styles.side}>
            <div className={styles.stage}>
              <video
                ref={remoteRef}
                className={styles.remote}
                autoPlay
                playsInline
                aria-label={t('callRemoteVideo', { name: customerName })}
                data-testid="remote-video"
              />
              {state.local && (
                <video
                  ref={selfRef}
                  className={styles.self}
                  autoPlay
                  playsInline
                  muted
                  aria-label={t('callSelfView')}
                />
              )}
              <div className={styles.badges}>
                {!state.remoteMedia.cam && (
                  <Badge color="informative" data-testid="remote-cam-off">
                    {t('callRemoteCamOff')}
                  </Badge>
                )}
                {!state.remoteMedia.mic && (
                  <Badge color="informative" data-testid="remote-mic-off">
                    {t('callRemoteMicOff')}
                  </Badge>
                )}
              </div>
            </div>
            {soundBlocked && (
              <Button appearance="primary" onClick={retrySound}>
                {t('callSound')}
              </Button>
            )}
            <div className={styles.controls} role="toolbar" aria-label={t('callControls')}>
              <ToggleButton
                checked={!state.mic}
                disabled={!state.local?.getAudioTracks().length}
                onClick={() => session.setMic(!state.mic)}
              >
                {state.mic ? t('callMute') : t('callUnmute')}
              </ToggleButton>
              <ToggleButton
                checked={!state.cam}
                disabled={!state.local?.getVideoTracks().length}
                onClick={() => session.setCam(!state.cam)}
              >
                {state.cam ? t('callCamOff') : t('callCamOn')}
              </ToggleButton>
              {state.canSwitch && (
                <Button onClick={() => void session.switchCamera()}>{t('callSwitchCamera')}</Button>
              )}
              <Button
                disabled={!state.channelOpen || state.snapshotPending}
                onClick={session.requestSnapshot}
              >
                {t('callSnapshot')}
              </Button>
              {state.snapshotPending && <Spinner size="tiny" label={t('callSnapshotWaiting')} />}
            </div>
            {state.snapshotFailed && (
              <MessageBar intent="info">
                <MessageBarBody>{t('callSnapshotFailed')}</MessageBarBody>
              </MessageBar>
            )}
            {state.picture && (
              <section aria-labelledby="call-picture-heading">
                <div className={styles.header}>
                  <Text as="h3" weight="semibold" id="call-picture-heading" className={styles.grow}>
                    {state.picture.kind === 'photo'
                      ? t('callPhotoHeading', { name: customerName })
                      : t('callSnapshotHeading')}
                  </Text>
                  <Button onClick={session.closePicture}>{t('callClose')}</Button>
                </div>
                {state.drawingDismissed && <Text size={200}>{t('callDrawingDismissed')}</Text>}
                <DrawingEditor
                  key={state.picture.url}
                  url={state.picture.url}
                  width={state.picture.width}
                  height={state.picture.height}
                  onSend={session.sendDrawing}
                />
              </section>
            )}
          </div>
          <ChatPanel lines={state.chat} peerName={customerName} onSend={session.sendChat} />
        </div>
      )}
    </section>
  );
}

export default CallPane;
