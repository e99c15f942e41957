import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Switch,
  Tab,
  TabList,
  Text,
  Title2,
  mergeClasses,
} from '@fluentui/react-components';
import {
  callPhase,
  type CallDto,
  type CreateCallResponse,
  type Locale,
  type TeamRef,
} from '@shared';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../app/i18n';
import { useServices } from '../../app/services';
import { BotStatusNotice, useBotStatus } from '../bot-status';
import { isBrowserCallLive, useActiveCall } from '../call/useActiveCall';
import { CallList, useCallActions, useCalls, useWaitingAlerts, type CallFilter } from '../calls';
import { CreateCallForm, useCreateCall } from '../create-call';
import { LazyReportsView } from '../reports';
import { SharePanel } from '../share';
import { useTabHomeStyles } from './TabHome.styles';

const ALERTS_KEY = 'one-time-call.alerts.v1';
// The call pane (WebRTC engine, drawing) loads only when a call opens: the tab's first load stays small.
const loadCallPane = () => import('../call/CallPane');
const CallPane = lazy(loadCallPane);

export type TabHomeProps = {
  /** Set in a channel tab: the team's shared queue. */
  readonly team: TeamRef | undefined;
  /** The agent's own id (from `/api/me`), to keep other agents' calls out of "my calls". */
  readonly agentId: string | undefined;
  readonly defaultCustomerLocale: Locale;
  readonly timeZone: string | undefined;
};

type Shown = {
  readonly title: string;
  readonly created: Pick<CreateCallResponse, 'link' | 'message' | 'sms'>;
};

/** The tab: new link, the link just made, and the live list of calls. */
export function TabHome({ team, agentId, defaultCustomerLocale, timeZone }: TabHomeProps) {
  const { t } = useI18n();
  const styles = useTabHomeStyles();
  const services = useServices();
  const { api, links, followCalls, preferences, session, beep } = services;
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const [filter, setFilter] = useState<CallFilter>('active');
  const [view, setView] = useState<'calls' | 'reports'>('calls');
  // A new form (fresh defaults) after each link, so the next one does not inherit the last title.
  const [formKey, setFormKey] = useState(0);
  const [alerts, setAlerts] = useState(() => preferences?.getItem(ALERTS_KEY) === 'on');
  const shareRef = useRef<HTMLDivElement>(null);

  const belongs = useCallback(
    (call: CallDto) =>
      team ? call.team?.id === team.id : agentId === undefined || call.agent.id === agentId,
    [team, agentId],
  );
  const { state, stream, reconnects, upsert, reload } = useCalls({
    api,
    followCalls,
    query: team ? { scope: 'team', teamId: team.id } : { scope: 'mine' },
    belongs,
  });

  const calls = state.status === 'ready' ? state.calls : undefined;
  const waitingCallIds = useMemo(
    () => calls?.filter((call) => callPhase(call.state) === 'lobby').map((call) => call.id),
    [calls],
  );
  // A customer is waiting: fetch the call pane now, so Admit does not wait for it.
  const someoneWaiting = (waitingCallIds?.length ?? 0) > 0;
  useEffect(() => {
    if (someoneWaiting) loadCallPane().catch(() => undefined);
  }, [someoneWaiting]);
  const botStatus = useBotStatus({ api, session, reconnects, waitingCallIds });

  const showCreated = useCallback(
    (created: CreateCallResponse) => {
      links.save(created.call.id, {
        title: created.call.title,
        texts: { link: created.link, message: created.message, sms: created.sms },
      });
      upsert(created.call);
      setShown({ title: created.call.title, created });
      setFormKey((key) => key + 1);
    },
    [links, upsert],
  );
  const { state: createState, create } = useCreateCall(api, showCreated);
  const call = useActiveCall(session);
  const signalHeaders = useCallback(() => api.headers(), [api]);
  const actions = useCallActions(
    api,
    upsert,
    showCreated,
    (admitted) => {
      if (isBrowserCallLive(admitted)) call.open(admitted);
    },
    services.host.mode === 'teams' ? (url) => services.host.openLink(url) : undefined,
  );
  // Live browser calls this agent admitted whose pane is not open (after a reload in another tab).
  const rejoinable = useMemo(
    () =>
      calls?.filter(
        (c) =>
          isBrowserCallLive(c) &&
          c.id !== call.active?.id &&
          (agentId === undefined || (c.admittedBy ?? c.agent).id === agentId),
      ) ?? [],
    [calls, call.active?.id, agentId],
  );

  // Move focus to the new link so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (shown) shareRef.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [shown]);

  const { announcement } = useWaitingAlerts(calls, {
    enabled: alerts,
    beep,
    announceText: (name) => t('announceWaiting', { name }),
    timedOutText: (name) => t('announceTimedOut', { name }),
    titleText: (count) => t('documentTitleWaiting', { count }),
  });

  const streamText =
    stream === 'open'
      ? t('streamOpen')
      : stream === 'connecting'
        ? t('streamConnecting')
        : t('streamReconnecting');

  return (
    <main className={styles.root}>
      <div className={styles.header}>
        <Title2 as="h1">{t('appTitle')}</Title2>
        <Switch
          checked={alerts}
          label={t('alertToggle')}
          onChange={(_, data) => {
            setAlerts(data.checked);
            preferences?.setItem(ALERTS_KEY, data.checked ? 'on' : 'off');
          }}
        />
      </div>
      <TabList
        aria-label={t('navLabel')}
        selectedValue={view}
        onTabSelect={(_, data) => setView(data.value as 'calls' | 'reports')}
      >
        <Tab value="calls">{t('navCalls')}</Tab>
        <Tab value="reports">{t('navReports')}</Tab>
      </TabList>
      {view === 'reports' && (
        <Suspense fallback={<Spinner label={t('reportsLoading')} />}>
          <LazyReportsView team={team} timeZone={timeZone} />
        </Suspense>
      )}
      {call.active && (
        <Suspense fallback={<Spinner label={t('callStarting')} />}>
          <CallPane
            key={call.active.id}
            callId={call.active.id}
            customerName={call.active.customerName}
            apiBaseUrl={services.apiBaseUrl ?? ''}
            headers={signalHeaders}
            storage={session}
            onEnd={async () => {
              const id = call.active?.id;
              if (id) upsert(await api.act(id, 'end'));
            }}
            onClose={call.close}
          />
        </Suspense>
      )}
      {rejoinable.map((c) => (
        <MessageBar key={c.id} intent="info">
          <MessageBarBody>
            {t('callActiveBanner', { name: c.customerName ?? c.title })}
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={() => call.open(c)}>
              {t('callOpen', { name: c.customerName ?? c.title })}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ))}
      <div
        className={mergeClasses(styles.columns, view !== 'calls' && styles.hiddenView)}
        hidden={view !== 'calls'}
      >
        <div className={styles.stack}>
          {shown && (
            <div ref={shareRef}>
              <SharePanel
                key={shown.created.link}
                title={shown.title}
                texts={shown.created}
                copy={services.copy}
                onClose={() => setShown(undefined)}
              />
            </div>
          )}
          <div className={styles.card}>
            <CreateCallForm
              key={formKey}
              state={createState}
              onSubmit={create}
              defaultLocale={defaultCustomerLocale}
              timeZone={timeZone}
              team={team}
            />
          </div>
        </div>
        <div className={styles.stack}>
          <BotStatusNotice
            notices={botStatus.notices}
            onDismissUnreachable={botStatus.dismissUnreachable}
            onDismissFailures={botStatus.dismissFailures}
          />
          <div className={styles.card}>
            <CallList
              heading={team ? t('teamCallsHeading', { team: team.name }) : t('myCallsHeading')}
              state={state}
              filter={filter}
              onFilterChange={setFilter}
              notices={actions.notices}
              onRetry={reload}
              showTeam={!team}
              toolbar={
                <Text size={200} className={styles.live} aria-live="polite">
                  {streamText}
                </Text>
              }
              onAdmit={actions.admit}
              onDecline={actions.decline}
              onRevoke={actions.revoke}
              onEnd={actions.end}
              onJoinMeeting={actions.joinMeeting}
              onSendNote={actions.sendNote}
              onReissue={actions.reissue}
              onDismissNotice={actions.dismiss}
              loadHistory={(id) => api.callHistory(id)}
              canShowLinkAgain={(id) => links.get(id) !== undefined}
              onShowLinkAgain={(id) => {
                const saved = links.get(id);
                if (saved) setShown({ title: saved.title, created: saved.texts });
              }}
            />
          </div>
        </div>
      </div>
      <div role="status" aria-atomic="true" className={styles.visuallyHidden}>
        {announcement}
      </div>
    </main>
  );
}
