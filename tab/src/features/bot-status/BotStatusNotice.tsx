import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { useI18n, type MessageKey, type Translate } from '../../app/i18n';
import { useBotStatusNoticeStyles } from './BotStatusNotice.styles';
import type { BotNotices, DeliveryFailure } from './useBotStatus';

export type BotStatusNoticeProps = {
  readonly notices: BotNotices;
  readonly onDismissUnreachable: () => void;
  readonly onDismissFailures: () => void;
};

const REASON_KEYS = {
  'no-conversation': 'deliveryReason_no-conversation',
  'http-403': 'deliveryReason_http-403',
  'http-429': 'deliveryReason_http-429',
  unreachable: 'deliveryReason_unreachable',
} as const satisfies Record<string, MessageKey>;

const isKnownReason = (reason: string): reason is keyof typeof REASON_KEYS =>
  Object.hasOwn(REASON_KEYS, reason);

/** The bot's `reason` word as a sentence; `http-<status>` and unknown words get a generic one. */
function explain(reason: string, t: Translate): string {
  if (isKnownReason(reason)) return t(REASON_KEYS[reason]);
  const status = /^http-(\d{3})$/.exec(reason)?.[1];
  return status ? t('deliveryReason_status', { status }) : t('deliveryReason_other');
}

/** One sentence per distinct reason, in the order of their newest failure. */
function explanations(failures: readonly DeliveryFailure[], t: Translate): string[] {
  return [...new Set(failures.map((failure) => explain(failure.reason, t)))];
}

/** Warnings that the bot cannot tell the agent about waiting customers; nothing when all is well. */
export function BotStatusNotice({
  notices,
  onDismissUnreachable,
  onDismissFailures,
}: BotStatusNoticeProps) {
  const { t, formatDateTime } = useI18n();
  const styles = useBotStatusNoticeStyles();
  const { unreachable, failures } = notices;
  const newest = failures[0];
  if (!unreachable && !newest) return null;

  const embedded = unreachable?.mode === 'embedded';
  return (
    <div className={styles.root}>
      {unreachable && (
        <MessageBar intent="warning" layout="multiline" politeness="polite">
          <MessageBarBody>
            <MessageBarTitle>
              {embedded ? t('botUnreachableEmbeddedTitle') : t('botUnreachableTitle')}
            </MessageBarTitle>{' '}
            {embedded ? t('botUnreachableEmbedded') : t('botUnreachableTeams')}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={onDismissUnreachable}>{t('dismiss')}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {newest && (
        <MessageBar intent="warning" layout="multiline" politeness="polite">
          <MessageBarBody>
            <MessageBarTitle>
              {failures.length === 1
                ? t('deliveryFailuresTitle_one')
                : t('deliveryFailuresTitle_other', { count: failures.length })}
            </MessageBarTitle>{' '}
            {t('deliveryFailuresNewest', { time: formatDateTime(newest.at) })}
            <ul className={styles.reasons}>
              {explanations(failures, t).map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={onDismissFailures}>{t('dismiss')}</Button>
          </MessageBarActions>
        </MessageBar>
      )}
    </div>
  );
}
