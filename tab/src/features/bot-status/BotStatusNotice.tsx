import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { useId, useState } from 'react';
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

/**
 * Warnings that the bot cannot tell the agent about waiting customers, as one line ("Details" opens
 * the explanations) so they never push the queue down; nothing when all is well.
 */
export function BotStatusNotice({
  notices,
  onDismissUnreachable,
  onDismissFailures,
}: BotStatusNoticeProps) {
  const { t, formatDateTime } = useI18n();
  const styles = useBotStatusNoticeStyles();
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const { unreachable, failures } = notices;
  const newest = failures[0];
  if (!unreachable && !newest) return null;

  const embedded = unreachable?.mode === 'embedded';
  const unreachableTitle = embedded ? t('botUnreachableEmbeddedTitle') : t('botUnreachableTitle');
  const failuresTitle = t('deliveryFailuresTitle', { count: failures.length });
  const title = unreachable
    ? newest
      ? t('noticesMore', { title: unreachableTitle, count: 1 })
      : unreachableTitle
    : failuresTitle;

  return (
    <MessageBar
      intent="warning"
      layout={open ? 'multiline' : 'auto'}
      politeness="polite"
      className={styles.root}
    >
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {open && (
          <div id={detailsId} className={styles.details}>
            {unreachable && (
              <p className={styles.paragraph}>
                {newest && <strong>{unreachableTitle}: </strong>}
                {embedded ? t('botUnreachableEmbedded') : t('botUnreachableTeams')}
              </p>
            )}
            {newest && (
              <>
                <p className={styles.paragraph}>
                  {unreachable && <strong>{failuresTitle}: </strong>}
                  {t('deliveryFailuresNewest', { time: formatDateTime(newest.at) })}
                </p>
                <ul className={styles.reasons}>
                  {explanations(failures, t).map((text) => (
                    <li key={text}>{text}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </MessageBarBody>
      <MessageBarActions>
        <Button
          aria-expanded={open}
          aria-controls={open ? detailsId : undefined}
          onClick={() => setOpen(!open)}
        >
          {open ? t('noticesHideDetails') : t('noticesDetails')}
        </Button>
        <Button
          onClick={() => {
            if (unreachable) onDismissUnreachable();
            if (newest) onDismissFailures();
          }}
        >
          {t('dismiss')}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
