import { Select, Switch, Text, Title2 } from '@fluentui/react-components';
import {
  LOCALES,
  callPhase,
  type CallDto,
  type CreateCallResponse,
  type Locale,
  type TeamRef,
} from '@shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useI18n, type Translate } from '../../app/i18n';
import { useServices } from '../../app/services';
import { BotStatusNotice, useBotStatus } from '../bot-status';
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
import { SharePanel } from '../share';
import { useTabHomeStyles } from './TabHome.styles';

const ALERTS_KEY = 'one-time-call.alerts.v1';

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

/** Where focus may go next, best first; the first one on the page wins. */
type FocusRequest = { readonly selectors: readonly string[]; readonly from: string | undefined };

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
  const actions = useCallActions(api, upsert, showCreated, onResult);

  // After an action, focus goes to the next sensible place, never to <body>. It is left alone when
  // the agent has already moved on to something else (typing in the form, say).
  useEffect(() => {
    if (!focusRequest) return;
    const root = rootRef.current;
    if (!root) return;
    const active = document.activeElement;
    const card = focusRequest.from
      ? root.querySelector(callHeadingSelector(focusRequest.from))?.closest('li')
      : undefined;
    const free =
      !active ||
      active === document.body ||
      !root.contains(active) ||
      Boolean(card?.contains(active)) ||
      Boolean(queueRef.current?.contains(active));
    if (!free) return;
    for (const selector of focusRequest.selectors) {
      const target = root.querySelector<HTMLElement>(selector);
      if (target) {
        target.focus();
        return;
      }
    }
  }, [focusRequest]);

  // Move focus to the new link so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (shown) shareRef.current?.querySelector<HTMLElement>('h2')?.focus();
  }, [shown]);

  const { announcement } = useWaitingAlerts(calls, {
    enabled: alerts,
    beep,
    announceText: (name) => t('announceWaiting', { name }),
    titleText: (count) => t('documentTitleWaiting', { count }),
  });

  const showAllWaiting = () => {
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
      <div className={styles.columns}>
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
              onSendNote={actions.sendNote}
              onReissue={actions.reissue}
              onDismissNotice={actions.dismiss}
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
