import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { CallHistoryResponse } from '@shared';
import { useId, useState } from 'react';
import { useI18n, type MessageKey } from '../app/i18n';
import { ErrorNotice } from './ErrorNotice';

const useStyles = makeStyles({
  list: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
  },
  by: { color: tokens.colorNeutralForeground2 },
});

export type CallHistoryProps = {
  readonly callId: string;
  readonly title: string;
  readonly load: (id: string) => Promise<CallHistoryResponse>;
};

type State =
  | { readonly status: 'closed' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly history: CallHistoryResponse }
  | { readonly status: 'failed'; readonly code: string };

/** A call's audit trail behind a disclosure button: what happened, when and by whom. */
export function CallHistory({ callId, title, load }: CallHistoryProps) {
  const { t, formatDateTime } = useI18n();
  const styles = useStyles();
  const [state, setState] = useState<State>({ status: 'closed' });
  const regionId = useId();
  const open = state.status !== 'closed';
  const toggle = () => {
    if (open) {
      setState({ status: 'closed' });
      return;
    }
    setState({ status: 'loading' });
    load(callId).then(
      (history) => setState({ status: 'ready', history }),
      (error: unknown) =>
        setState({
          status: 'failed',
          code: (error as { code?: string } | undefined)?.code ?? 'internal',
        }),
    );
  };
  const who = (entry: CallHistoryResponse['entries'][number]) => {
    switch (entry.actor.kind) {
      case 'agent':
        return entry.actor.name;
      case 'customer':
        return t('historyCustomer');
      case 'system':
        return t('historySystem', { reason: entry.actor.reason });
    }
  };
  return (
    <div>
      <Button
        appearance="subtle"
        size="small"
        aria-expanded={open}
        aria-controls={regionId}
        aria-label={`${t('historyButton')}: ${title}`}
        onClick={toggle}
      >
        {t('historyButton')}
      </Button>
      <div id={regionId}>
        {state.status === 'loading' && <Spinner size="tiny" label={t('historyLoading')} />}
        {state.status === 'failed' && <ErrorNotice title={t('historyFailed')} code={state.code} />}
        {state.status === 'ready' && (
          <ol className={styles.list} aria-label={t('historyHeading')}>
            {state.history.entries.map((entry, i) => (
              <li key={`${entry.at}-${i}`}>
                <Text size={200}>
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> ·{' '}
                  {t(`event_${entry.type}` as MessageKey)}{' '}
                  <span className={styles.by}>({who(entry)})</span>
                </Text>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
