import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Select,
  Spinner,
  Switch,
  Tab,
  TabList,
  Text,
  Title2,
  mergeClasses,
} from '@fluentui/react-components';
import {
  LOCALES,
  callPhase,
  type CallDto,
  type CreateCallResponse,
  type Locale,
  type TeamRef,
} from '@shared';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useI18n, type Translate } from '../../app/i18n';
import { useServices } from '../../app/services';
import { BotStatusNotice, useBotStatus } from '../bot-status';
import { isBrowserCallLive, useActiveCall } from '../call/useActiveCall';
import {
  CallList,
  LIST_HEADING_SELECTOR,
  callHeadingSelector,
  useCallActions,
  useCalls,
  useWaitingAlerts,
  type CallActionResult,
  type CallFilter,
} from '../calls';
import { CreateCallForm, useCreateCall } from '../create-call';
import { QUEUE_ADMIT_SELECTOR, QueueBar } from '../queue';
import { LazyReportsView } from '../reports';
import { SharePanel } from '../share';
import { useTabHomeStyles } from './TabHome.styles';

const ALERTS_KEY = 'one-time-call.alerts.v1';
// The call pane (WebRTC engine, drawing) loads only when a call opens: the tab's first load stays small.
const loadCallPane = () => import('../call/CallPane');
const CallPane = lazy(loadCallPane);
/** The call pane's heading: where focus goes when Admit opens the pane. */
const CALL_PANE_HEADING_SELECTOR = '#call-pane-heading';

export type TabHomeProps = {
  /** Set in a channel tab: the team's shared queue. */
  readonly team: TeamRef | undefined;
  /** The agent's own id (from `/api/me`), to keep other agents' calls out of "my calls". */
  readonly agentId: string | undefined;
  readonly defaultCustomerLocale: Locale;
  readonly timeZone: string | undefined;
  /** The agent picked the tab's language; absent hides the picker. */
  readonly onLocaleChange?: ((locale: Locale) => void) | undefined;
};

type Shown = {
  readonly title: string;
  readonly created: Pick<CreateCallResponse, 'link' | 'message' | 'sms'>;
};

/**
 * Where focus may go next, best first; the first one on the page wins. `waitMs`: how long to wait
 * for the first one to appear (the call pane loads lazily) before falling back to the others.
 */
type FocusRequest = {
  readonly selectors: readonly string[];
  readonly from: string | undefined;
  readonly waitMs?: number | undefined;
};

/** The sentence a screen reader hears when an action on a call is done (or failed). */
function resultText(result: CallActionResult, call: CallDto | undefined, t: Translate): string {
  const name = call?.customerName ?? t('noCustomerYet');
  const title = call?.title ?? '';
  if (!result.ok) {
    const key = `error_${result.code}` as Parameters<Translate>[0];
    const reason = t(key) === key ? t('error_internal') : t(key);
    return t('result_failed', { title: call?.customerName ?? title, reason });
  }
  switch (result.action) {
    case 'admit':
      return t('result_admitted', { name });
    case 'decline':
      return t('result_declined', { name });
    case 'note':
      return t('result_noteSent', { name });
    case 'end':
      return t('result_ended', { title });
    case 'revoke':
      return t('result_revoked', { title });
    case 'reissue':
      return t('result_reissued', { title });
  }
}

const byWait = (a: CallDto, b: CallDto) => (a.claimedAt ?? '').localeCompare(b.claimedAt ?? '');

/** The tab: the queue bar, a new link, the link just made, and the live list of calls. */
export function TabHome({
  team,
  agentId,
  defaultCustomerLocale,
  timeZone,
  onLocaleChange,
}: TabHomeProps) {
  const { t, locale } = useI18n();
  const styles = useTabHomeStyles();
  const services = useServices();
  const { api, links, followCalls, preferences, session, beep } = services;
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const [filter, setFilter] = useState<CallFilter>('active');
  const [view, setView] = useState<'calls' | 'reports'>('calls');
  // A new form (fresh defaults) after each link, so the next one does not inherit the last title.
  const [formKey, setFormKey] = useState(0);
  // On unless the agent turned them off: a waiting customer must not go unnoticed.
  const [alerts, setAlerts] = useState(() => preferences?.getItem(ALERTS_KEY) !== 'off');
  const [said, setSaid] = useState('');
  const [focusRequest, setFocusRequest] = useState<FocusRequest | undefined>(undefined);
  const rootRef = useRef<HTMLElement>(null);
  const queueRef = useRef<HTMLElement>(null);
  const shareRef = useRef<HTMLDivElement>(null);

  // A repeated identical text would not be announced again: alternate a trailing space.
  const announce = useCallback(
    (text: string) => setSaid((previous) => (previous === text ? `${text} ` : text)),
    [],
  );

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
  const waiting = useMemo(
    () => (calls ?? []).filter((call) => callPhase(call.state) === 'lobby').sort(byWait),
    [calls],
  );
  const waitingCallIds = useMemo(
    () => (calls ? waiting.map((call) => call.id) : undefined),
    [calls, waiting],
  );
  // A customer is waiting: fetch the call pane now, so Admit does not wait for it.
  const someoneWaiting = (waitingCallIds?.length ?? 0) > 0;
  useEffect(() => {
    if (someoneWaiting) loadCallPane().catch(() => undefined);
  }, [someoneWaiting]);
  const botStatus = useBotStatus({ api, session, reconnects, waitingCallIds });
  const callsRef = useRef(calls);
  useEffect(() => {
    callsRef.current = calls;
  }, [calls]);

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
  const onCreated = useCallback(
    (created: CreateCallResponse) => {
      showCreated(created);
      announce(t('result_created', { title: created.call.title }));
    },
    [showCreated, announce, t],
  );
  const { state: createState, create } = useCreateCall(api, onCreated);

  const onResult = useCallback(
    (result: CallActionResult) => {
      const call = result.ok ? result.call : callsRef.current?.find((c) => c.id === result.id);
      announce(resultText(result, call, t));
      // A new link takes focus itself (the share panel's heading).
      if (result.ok && result.action === 'reissue') return;
      const heading = callHeadingSelector(result.id);
      // Admit opened the call pane: the agent is in the call now, so focus goes there.
      if (result.ok && result.action === 'admit' && isBrowserCallLive(result.call)) {
        setFocusRequest({
          selectors: [CALL_PANE_HEADING_SELECTOR, QUEUE_ADMIT_SELECTOR, heading],
          from: result.id,
          waitMs: 3000,
        });
        return;
      }
      const selectors =
        !result.ok || result.action === 'note'
          ? [heading, LIST_HEADING_SELECTOR]
          : result.action === 'admit' || result.action === 'decline'
            ? [QUEUE_ADMIT_SELECTOR, heading, LIST_HEADING_SELECTOR]
            : [heading, QUEUE_ADMIT_SELECTOR, LIST_HEADING_SELECTOR];
      setFocusRequest({ selectors, from: result.id });
    },
    [announce, t],
  );
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
    onResult,
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

  // After an action, focus goes to the next sensible place, never to <body>. It is left alone when
  // the agent has already moved on to something else (typing in the form, say).
  useEffect(() => {
    if (!focusRequest) return;
    const root = rootRef.current;
    if (!root) return undefined;
    const card = focusRequest.from
      ? root.querySelector(callHeadingSelector(focusRequest.from))?.closest('li')
      : undefined;
    const free = () => {
      const active = document.activeElement;
      return (
        !active ||
        active === document.body ||
        !root.contains(active) ||
        Boolean(card?.contains(active)) ||
        Boolean(queueRef.current?.contains(active))
      );
    };
    const moveFocus = (selectors: readonly string[]) => {
      if (!free()) return;
      for (const selector of selectors) {
        const target = root.querySelector<HTMLElement>(selector);
        if (target) {
          target.focus();
          return;
        }
      }
    };
    const [first, ...rest] = focusRequest.selectors;
    if (!focusRequest.waitMs || !first || root.querySelector(first)) {
      moveFocus(focusRequest.selectors);
      return undefined;
    }
    // Meanwhile focus must not sit on <body>: take the fallback now, the first one when it comes.
    moveFocus(rest);
    const started = Date.now();
    const timer = setInterval(() => {
      if (root.querySelector(first)) {
        clearInterval(timer);
        root.querySelector<HTMLElement>(first)?.focus();
      } else if (Date.now() - started > (focusRequest.waitMs ?? 0)) clearInterval(timer);
    }, 100);
    return () => clearInterval(timer);
  }, [focusRequest]);

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

  const showAllWaiting = () => {
    setView('calls');
    setFilter('active');
    const first = waiting[0];
    setFocusRequest({
      selectors: first ? [callHeadingSelector(first.id), LIST_HEADING_SELECTOR] : [],
      from: undefined,
    });
  };

  const closeShare = () => {
    setShown(undefined);
    // The panel (and the focused Done button) is gone: continue at the form.
    setFocusRequest({ selectors: ['form h2'], from: undefined });
  };

  const streamText =
    stream === 'open'
      ? t('streamOpen')
      : stream === 'connecting'
        ? t('streamConnecting')
        : t('streamReconnecting');

  return (
    <main className={styles.root} ref={rootRef}>
      <a
        href="#queue"
        className={styles.skipLink}
        onClick={(event) => {
          event.preventDefault();
          queueRef.current?.focus();
        }}
      >
        {t('skipToQueue')}
      </a>
      <div className={styles.header}>
        <Title2 as="h1">{t('appTitle')}</Title2>
        <div className={styles.settings}>
          {onLocaleChange && (
            <div className={styles.language}>
              <label htmlFor="tab-language">{t('tabLanguageLabel')}</label>
              <Select
                id="tab-language"
                size="small"
                value={locale}
                onChange={(_, data) => onLocaleChange(data.value === 'de' ? 'de' : 'en')}
              >
                {LOCALES.map((l) => (
                  <option key={l} value={l} lang={l}>
                    {t(l === 'de' ? 'languageName_de' : 'languageName_en')}
                  </option>
                ))}
              </Select>
            </div>
          )}
          <Switch
            checked={alerts}
            label={t('alertToggle')}
            onChange={(_, data) => {
              setAlerts(data.checked);
              preferences?.setItem(ALERTS_KEY, data.checked ? 'on' : 'off');
            }}
          />
        </div>
      </div>
      <QueueBar
        ref={queueRef}
        waiting={waiting}
        pending={(id) => actions.notices[id]?.status === 'pending'}
        onAdmit={actions.admit}
        onShowAll={showAllWaiting}
      />
      <BotStatusNotice
        notices={botStatus.notices}
        onDismissUnreachable={botStatus.dismissUnreachable}
        onDismissFailures={botStatus.dismissFailures}
      />
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
                onClose={closeShare}
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
      <div role="status" aria-atomic="true" className={styles.visuallyHidden} data-testid="result">
        {said}
      </div>
    </main>
  );
}
