import { Button, Text, mergeClasses } from '@fluentui/react-components';
import type { CallDto } from '@shared';
import { forwardRef, useId } from 'react';
import { useI18n } from '../../app/i18n';
import { WaitTimer } from '../../components/WaitTimer';
import { useQueueBarStyles } from './QueueBar.styles';

/** Where keyboard focus goes for "the next waiting customer": the queue bar's Admit. */
export const QUEUE_ADMIT_SELECTOR = '[data-queue-admit]';

export type QueueBarProps = {
  /** Waiting customers, longest wait first. */
  readonly waiting: readonly CallDto[];
  /** Calls with an action under way (their Admit stays focusable but inert). */
  readonly pending: (id: string) => boolean;
  readonly onAdmit: (id: string) => void;
  /** Shows the list of every waiting customer. */
  readonly onShowAll: () => void;
};

/**
 * "N waiting" with the longest-waiting customer and Admit, always at the top of the tab (Zoom's
 * "Waiting Room (n)"). The skip link targets it; Admit is the first stop after it.
 */
export const QueueBar = forwardRef<HTMLElement, QueueBarProps>(function QueueBar(
  { waiting, pending, onAdmit, onShowAll },
  ref,
) {
  const { t } = useI18n();
  const styles = useQueueBarStyles();
  const headingId = useId();
  const first = waiting[0];
  const count = waiting.length;
  const name = first ? (first.customerName ?? t('noCustomerYet')) : '';

  return (
    <section
      ref={ref}
      id="queue"
      tabIndex={-1}
      aria-labelledby={headingId}
      className={mergeClasses(styles.root, first && styles.waiting)}
    >
      <Text as="h2" id={headingId} weight="semibold" className={styles.count}>
        {count === 0 ? t('queueNone') : t('queueCount', { count })}
      </Text>
      {first && (
        <div className={styles.first}>
          {first.claimedAt ? (
            <WaitTimer
              className={styles.name}
              since={first.claimedAt}
              render={(time) => t('queueFirst', { name, time })}
            />
          ) : (
            <Text className={styles.name}>{name}</Text>
          )}
          <Button
            key={first.id}
            appearance="primary"
            data-queue-admit={first.id}
            disabledFocusable={pending(first.id)}
            aria-label={t('admitName', { name })}
            onClick={() => onAdmit(first.id)}
          >
            {t('admit')}
          </Button>
          {count > 1 && <Button onClick={onShowAll}>{t('queueShowAll')}</Button>}
        </div>
      )}
    </section>
  );
});
