import { Spinner, Tab, TabList, Text, Title3 } from '@fluentui/react-components';
import { ACTIVE_STATES, callPhase, type CallDto } from '@shared';
import { useId, type ReactNode } from 'react';
import { useI18n } from '../../app/i18n';
import { ErrorNotice } from '../../components/ErrorNotice';
import { CallItem, type CallItemHandlers, type CallNotice } from './CallItem';
import { useCallListStyles } from './CallList.styles';

export type CallFilter = 'active' | 'finished';

export type CallsState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly calls: readonly CallDto[] }
  | { readonly status: 'failed'; readonly code: string };

export type CallListProps = CallItemHandlers & {
  readonly heading: string;
  readonly state: CallsState;
  readonly filter: CallFilter;
  readonly onFilterChange: (filter: CallFilter) => void;
  readonly notices: Readonly<Record<string, CallNotice>>;
  readonly onRetry: () => void;
  readonly showTeam: boolean;
  /** A small live/reconnecting indicator and other controls beside the heading. */
  readonly toolbar?: ReactNode;
};

const isActive = (call: CallDto) => ACTIVE_STATES.includes(call.state);

/** Where keyboard focus goes when no call card fits: the list's heading. */
export const LIST_HEADING_SELECTOR = '[data-calls-heading]';

/** Waiting first (longest wait on top), then the rest newest first. */
function order(calls: readonly CallDto[]): CallDto[] {
  return [...calls].sort((a, b) => {
    const aw = callPhase(a.state) === 'lobby' ? 0 : 1;
    const bw = callPhase(b.state) === 'lobby' ? 0 : 1;
    if (aw !== bw) return aw - bw;
    if (aw === 0) return (a.claimedAt ?? '').localeCompare(b.claimedAt ?? '');
    return b.updatedAt.localeCompare(a.updatedAt);
  });
}

/** The agent's (or team's) calls, filtered active / finished. */
export function CallList({
  heading,
  state,
  filter,
  onFilterChange,
  notices,
  onRetry,
  showTeam,
  toolbar,
  ...handlers
}: CallListProps) {
  const { t } = useI18n();
  const styles = useCallListStyles();
  const headingId = useId();
  const panelId = useId();

  const activeCount = state.status === 'ready' ? state.calls.filter(isActive).length : undefined;
  const shown =
    state.status === 'ready'
      ? order(
          state.calls.filter((call) => (filter === 'active' ? isActive(call) : !isActive(call))),
        )
      : [];

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <Title3 as="h2" id={headingId} tabIndex={-1} data-calls-heading="">
          {heading}
        </Title3>
        {toolbar}
      </div>
      <TabList
        selectedValue={filter}
        onTabSelect={(_, data) => onFilterChange(data.value === 'finished' ? 'finished' : 'active')}
        aria-label={t('filterLabel')}
      >
        <Tab value="active" aria-controls={panelId}>
          {activeCount === undefined
            ? t('filterActive')
            : t('filterActiveCount', { count: activeCount })}
        </Tab>
        <Tab value="finished" aria-controls={panelId}>
          {t('filterFinished')}
        </Tab>
      </TabList>
      <div
        id={panelId}
        role="tabpanel"
        aria-label={filter === 'active' ? t('filterActive') : t('filterFinished')}
      >
        {state.status === 'loading' && <Spinner label={t('loadingCalls')} />}
        {state.status === 'failed' && (
          <ErrorNotice title={t('callsFailed')} code={state.code} onRetry={onRetry} />
        )}
        {state.status === 'ready' && shown.length === 0 && (
          <Text>{filter === 'active' ? t('emptyActive') : t('emptyFinished')}</Text>
        )}
        {shown.length > 0 && (
          <ul className={styles.list}>
            {shown.map((call) => (
              <CallItem
                key={call.id}
                call={call}
                notice={notices[call.id]}
                showTeam={showTeam}
                {...handlers}
              />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
