import type { Locale } from '@shared';

/** Every text of the customer pages. Plain, kind, short: customers get through without help. */
export type PageStrings = {
  readonly lang: string;
  readonly brand: string;
  readonly switchTo: string;
  readonly landingTitle: string;
  readonly invitedBy: (agent: string) => string;
  readonly when: (when: string) => string;
  readonly nameLabel: string;
  readonly nameHint: string;
  /** The name field's limit, said at the field (the input's `maxlength` is the same). */
  readonly nameLimit: (max: number) => string;
  readonly join: string;
  readonly getTeamsTitle: string;
  readonly getTeamsText: string;
  readonly getTeamsLink: string;
  /** Browser call: what happens, step by step (no install, camera and microphone). */
  readonly howTitle: string;
  readonly howSteps: (agent: string) => readonly string[];
  /** Browser call, lobby: the call starts on this page and needs the camera and microphone. */
  readonly lobbyBrowserNote: (agent: string) => string;
  /** Teams meeting with a Virtual Appointments link: the browser is enough, on a phone too. */
  readonly teamsBrowserNote: string;
  /** Teams meeting without one: honest that the Teams app will be needed. */
  readonly teamsAppNeeded: string;
  readonly nameErrors: { readonly empty: string; readonly long: string; readonly invalid: string };
  readonly errorPrefix: string;
  readonly tooEarlyTitle: string;
  readonly tooEarlyText: (when: string, opens: string) => string;
  readonly lobbyTitle: string;
  readonly lobbyText: (agent: string) => string;
  readonly lobbyTold: string;
  /** Until the card reached the agent (or the agent's tab is open). */
  readonly lobbyTelling: string;
  readonly waitingAs: (name: string) => string;
  readonly callWith: (agent: string) => string;
  readonly warnTitle: string;
  readonly warnText: (minutes: number) => string;
  readonly stillHere: string;
  /** The browser call's camera and microphone check in the lobby. */
  readonly check: {
    readonly title: string;
    readonly start: string;
    readonly stop: string;
    readonly level: string;
    readonly self: string;
    readonly denied: string;
    readonly failed: string;
  };
  readonly waitingFor: string;
  readonly messageFrom: (agent: string) => string;
  readonly reconnecting: string;
  readonly keepOpen: string;
  readonly leave: string;
  readonly callTitle: string;
  readonly callText: (agent: string) => string;
  readonly callNote: string;
  readonly callAdmittedTeams: string;
  readonly openTeams: string;
  readonly leaveTitle: string;
  readonly leaveText: string;
  readonly leaveConfirm: string;
  readonly stay: string;
  /**
   * The dead-end pages. `text` names the agent to ask for a new link, when the page knows the call
   * (`undefined` for unknown links and errors: "your agent").
   */
  readonly dead: Readonly<
    Record<
      DeadReason,
      { readonly title: string; readonly text: (agent: string | undefined) => string }
    >
  >;
  /** The support contact's lead-in on dead-end pages (`SUPPORT_CONTACT`). */
  readonly contactUs: string;
  readonly declineReason: string;
  readonly askAgent: string;
  /** The rate-limited page's wait, in whole minutes (rounded up). */
  readonly retryIn: (minutes: number) => string;
};

/** Why a page says the link cannot be used. */
export type DeadReason =
  | 'ended'
  | 'declined'
  | 'expired'
  | 'revoked'
  | 'abandoned'
  | 'timed_out'
  | 'claimed-elsewhere'
  | 'not-found'
  | 'rate-limited'
  | 'error';

export const PAGE_STRINGS: Readonly<Record<Locale, PageStrings>> = {
  en: {
    lang: 'en',
    brand: 'Video call',
    switchTo: 'Deutsch',
    landingTitle: 'Join your video call',
    invitedBy: (agent) => `${agent} has invited you to a video call.`,
    when: (when) => `When: ${when}`,
    nameLabel: 'Your name',
    nameHint: 'So your agent knows who is calling.',
    nameLimit: (max) => `Up to ${max} characters.`,
    join: 'Join the call',
    getTeamsTitle: 'Microsoft Teams',
    getTeamsText:
      'The call works best in the free Microsoft Teams app. You do not need an account.',
    getTeamsLink: 'Get Microsoft Teams',
    howTitle: 'How the call works',
    howSteps: (agent) => [
      'Type your name and press “Join the call”.',
      `Wait a moment until ${agent} lets you in.`,
      'Talk right here in your browser. There is nothing to install and you need no account.',
      `Your browser will ask to use your camera and microphone. Please allow it, so that ${agent} can see and hear you.`,
    ],
    lobbyBrowserNote: (agent) =>
      `When ${agent} lets you in, the call starts on this page. Your browser will then ask to use your camera and microphone: please allow it.`,
    teamsBrowserNote:
      'You can join right here in your browser, on a phone too. The Teams app is optional.',
    teamsAppNeeded:
      'For this call you will need the Microsoft Teams app. Please install it before you join (no account needed).',
    nameErrors: {
      empty: 'Please type your name.',
      long: 'Please use at most 80 characters.',
      invalid: 'Please use letters, numbers and spaces only.',
    },
    errorPrefix: 'Error:',
    tooEarlyTitle: 'Your call has not started yet',
    tooEarlyText: (when, opens) =>
      `Your call is on ${when}. Please open this link again from ${opens}.`,
    lobbyTitle: 'Please wait',
    lobbyText: (agent) => `${agent} will let you in shortly.`,
    lobbyTold: 'Your agent has been told you are here.',
    lobbyTelling: 'We are letting your agent know you are here.',
    waitingAs: (name) => `You are waiting as ${name}.`,
    callWith: (agent) => `Your call with ${agent}`,
    warnTitle: 'Are you still there?',
    warnText: (minutes) =>
      minutes <= 1
        ? 'Your wait ends in about a minute unless you tell us you are still here.'
        : `Your wait ends in about ${minutes} minutes unless you tell us you are still here.`,
    stillHere: "I'm still here",
    check: {
      title: 'Check your camera and microphone',
      start: 'Check camera and microphone',
      stop: 'Stop the check',
      level: 'Microphone level',
      self: 'Your camera',
      denied:
        'Your browser did not allow the camera or microphone. You can still join; your agent will help you.',
      failed: 'The camera could not be started.',
    },
    waitingFor: 'Waiting for',
    messageFrom: (agent) => `Message from ${agent}:`,
    reconnecting: 'Connection lost. Trying again…',
    keepOpen: 'Keep this page open. It moves on by itself.',
    leave: 'Leave',
    callTitle: 'You are in the call',
    callText: (agent) => `You are connected with ${agent}.`,
    callNote: 'Keep this page open during the call.',
    callAdmittedTeams: 'You have been let in. Microsoft Teams opens now.',
    openTeams: 'Open the call in Microsoft Teams',
    leaveTitle: 'Leave the call?',
    leaveText: 'If you leave, this link stops working. You will need a new link to call again.',
    leaveConfirm: 'Yes, leave the call',
    stay: 'No, stay',
    dead: {
      ended: {
        title: 'This call has ended',
        text: (agent) =>
          `Thank you. If you need another call, please ask ${agent ?? 'your agent'} for a new link.`,
      },
      declined: {
        title: 'Your agent cannot take the call now',
        text: (agent) => `Please ask ${agent ?? 'your agent'} for a new link when it suits you.`,
      },
      expired: {
        title: 'This link has expired',
        text: (agent) => `Please ask ${agent ?? 'your agent'} for a new link.`,
      },
      revoked: {
        title: 'This link was cancelled',
        text: (agent) => `Please ask ${agent ?? 'your agent'} for a new link.`,
      },
      abandoned: {
        title: 'You left the waiting room',
        text: (agent) =>
          `This link cannot be used again. Please ask ${agent ?? 'your agent'} for a new link.`,
      },
      timed_out: {
        title: 'Your wait timed out',
        text: (agent) =>
          `Nobody could take your call in time, sorry. Please ask ${agent ?? 'your agent'} for a new link.`,
      },
      'claimed-elsewhere': {
        title: 'This link is open in another window',
        text: (agent) =>
          `Someone joined with this link in another browser or on another device. If this was you, go back to the window where you joined. Otherwise, please ask ${agent ?? 'your agent'} for a new link.`,
      },
      'not-found': {
        title: 'We cannot find this link',
        text: () =>
          'Please check that you opened the whole link from your message, or ask your agent for a new one.',
      },
      'rate-limited': {
        title: 'Too many attempts',
        text: () => 'Please wait a minute and try again.',
      },
      error: { title: 'Something went wrong', text: () => 'Please try again in a moment.' },
    },
    contactUs: 'You can also contact us:',
    declineReason: 'Message from your agent:',
    askAgent: 'Ask your agent for a new link',
    retryIn: (minutes) =>
      minutes <= 1
        ? 'Please wait a minute and try again.'
        : `Please wait ${minutes} minutes and try again.`,
  },
  de: {
    lang: 'de',
    brand: 'Videoanruf',
    switchTo: 'English',
    landingTitle: 'Ihrem Videoanruf beitreten',
    invitedBy: (agent) => `${agent} hat Sie zu einem Videoanruf eingeladen.`,
    when: (when) => `Wann: ${when}`,
    nameLabel: 'Ihr Name',
    nameHint: 'Damit Ihr Ansprechpartner weiß, wer anruft.',
    nameLimit: (max) => `Höchstens ${max} Zeichen.`,
    join: 'Anruf beitreten',
    getTeamsTitle: 'Microsoft Teams',
    getTeamsText:
      'Am besten klappt der Anruf in der kostenlosen App Microsoft Teams. Ein Konto brauchen Sie nicht.',
    getTeamsLink: 'Microsoft Teams herunterladen',
    howTitle: 'So funktioniert der Anruf',
    howSteps: (agent) => [
      'Geben Sie Ihren Namen ein und tippen Sie auf „Anruf beitreten“.',
      `Warten Sie kurz, bis ${agent} Sie hereinlässt.`,
      'Sprechen Sie direkt hier im Browser. Sie müssen nichts installieren und brauchen kein Konto.',
      `Ihr Browser fragt, ob er Kamera und Mikrofon verwenden darf. Bitte erlauben Sie es, damit ${agent} Sie sehen und hören kann.`,
    ],
    lobbyBrowserNote: (agent) =>
      `Sobald ${agent} Sie hereinlässt, beginnt der Anruf auf dieser Seite. Ihr Browser fragt dann nach Kamera und Mikrofon: Bitte erlauben Sie es.`,
    teamsBrowserNote:
      'Sie können direkt hier im Browser beitreten, auch auf dem Handy. Die Teams-App ist nicht nötig.',
    teamsAppNeeded:
      'Für diesen Anruf brauchen Sie die App Microsoft Teams. Bitte installieren Sie sie vor dem Beitritt (ein Konto brauchen Sie nicht).',
    nameErrors: {
      empty: 'Bitte geben Sie Ihren Namen ein.',
      long: 'Bitte höchstens 80 Zeichen.',
      invalid: 'Bitte nur Buchstaben, Ziffern und Leerzeichen.',
    },
    errorPrefix: 'Fehler:',
    tooEarlyTitle: 'Ihr Anruf hat noch nicht begonnen',
    tooEarlyText: (when, opens) =>
      `Ihr Anruf ist am ${when}. Bitte öffnen Sie diesen Link ab ${opens} erneut.`,
    lobbyTitle: 'Bitte warten',
    lobbyText: (agent) => `${agent} lässt Sie gleich herein.`,
    lobbyTold: 'Ihr Ansprechpartner weiß, dass Sie da sind.',
    lobbyTelling: 'Wir sagen Ihrem Ansprechpartner gerade Bescheid, dass Sie da sind.',
    waitingAs: (name) => `Sie warten als ${name}.`,
    callWith: (agent) => `Ihr Anruf mit ${agent}`,
    warnTitle: 'Sind Sie noch da?',
    warnText: (minutes) =>
      minutes <= 1
        ? 'Ihre Wartezeit endet in etwa einer Minute, wenn Sie nicht bestätigen, dass Sie noch da sind.'
        : `Ihre Wartezeit endet in etwa ${minutes} Minuten, wenn Sie nicht bestätigen, dass Sie noch da sind.`,
    stillHere: 'Ich bin noch da',
    check: {
      title: 'Kamera und Mikrofon prüfen',
      start: 'Kamera und Mikrofon prüfen',
      stop: 'Prüfung beenden',
      level: 'Mikrofonpegel',
      self: 'Ihre Kamera',
      denied:
        'Ihr Browser hat Kamera oder Mikrofon nicht erlaubt. Sie können trotzdem teilnehmen; Ihr Ansprechpartner hilft Ihnen.',
      failed: 'Die Kamera konnte nicht gestartet werden.',
    },
    waitingFor: 'Sie warten seit',
    messageFrom: (agent) => `Nachricht von ${agent}:`,
    reconnecting: 'Verbindung unterbrochen. Neuer Versuch …',
    keepOpen: 'Lassen Sie diese Seite offen. Es geht von selbst weiter.',
    leave: 'Verlassen',
    callTitle: 'Sie sind im Anruf',
    callText: (agent) => `Sie sind mit ${agent} verbunden.`,
    callNote: 'Lassen Sie diese Seite während des Anrufs offen.',
    callAdmittedTeams: 'Sie wurden hereingelassen. Microsoft Teams öffnet sich jetzt.',
    openTeams: 'Anruf in Microsoft Teams öffnen',
    leaveTitle: 'Anruf verlassen?',
    leaveText:
      'Wenn Sie den Anruf verlassen, funktioniert dieser Link nicht mehr. Für einen neuen Anruf brauchen Sie einen neuen Link.',
    leaveConfirm: 'Ja, Anruf verlassen',
    stay: 'Nein, bleiben',
    dead: {
      ended: {
        title: 'Dieser Anruf ist beendet',
        text: (agent) =>
          `Vielen Dank. Wenn Sie noch einen Anruf brauchen, fragen Sie ${agent ?? 'Ihren Ansprechpartner'} nach einem neuen Link.`,
      },
      declined: {
        title: 'Ihr Ansprechpartner kann den Anruf gerade nicht annehmen',
        text: (agent) =>
          `Bitte fragen Sie ${agent ?? 'Ihren Ansprechpartner'} nach einem neuen Link, wenn es Ihnen passt.`,
      },
      expired: {
        title: 'Dieser Link ist abgelaufen',
        text: (agent) =>
          `Bitte fragen Sie ${agent ?? 'Ihren Ansprechpartner'} nach einem neuen Link.`,
      },
      revoked: {
        title: 'Dieser Link wurde storniert',
        text: (agent) =>
          `Bitte fragen Sie ${agent ?? 'Ihren Ansprechpartner'} nach einem neuen Link.`,
      },
      abandoned: {
        title: 'Sie haben den Warteraum verlassen',
        text: (agent) =>
          `Dieser Link lässt sich nicht noch einmal benutzen. Bitte fragen Sie ${agent ?? 'Ihren Ansprechpartner'} nach einem neuen Link.`,
      },
      timed_out: {
        title: 'Ihre Wartezeit ist abgelaufen',
        text: (agent) =>
          `Leider konnte niemand Ihren Anruf rechtzeitig annehmen. Bitte fragen Sie ${agent ?? 'Ihren Ansprechpartner'} nach einem neuen Link.`,
      },
      'claimed-elsewhere': {
        title: 'Dieser Link ist in einem anderen Fenster offen',
        text: (agent) =>
          `Jemand ist mit diesem Link in einem anderen Browser oder auf einem anderen Gerät beigetreten. Wenn Sie das waren, kehren Sie bitte zu dem Fenster zurück, in dem Sie beigetreten sind. Sonst fragen Sie ${agent ?? 'Ihren Ansprechpartner'} nach einem neuen Link.`,
      },
      'not-found': {
        title: 'Wir finden diesen Link nicht',
        text: () =>
          'Bitte prüfen Sie, ob Sie den ganzen Link aus Ihrer Nachricht geöffnet haben, oder fragen Sie nach einem neuen.',
      },
      'rate-limited': {
        title: 'Zu viele Versuche',
        text: () => 'Bitte warten Sie eine Minute und versuchen Sie es erneut.',
      },
      error: {
        title: 'Etwas ist schiefgelaufen',
        text: () => 'Bitte versuchen Sie es gleich noch einmal.',
      },
    },
    contactUs: 'Sie können uns auch kontaktieren:',
    declineReason: 'Nachricht von Ihrem Ansprechpartner:',
    askAgent: 'Bitten Sie Ihren Ansprechpartner um einen neuen Link',
    retryIn: (minutes) =>
      minutes <= 1
        ? 'Bitte warten Sie eine Minute und versuchen Sie es erneut.'
        : `Bitte warten Sie ${minutes} Minuten und versuchen Sie es erneut.`,
  },
};

/** The best of our locales for an `Accept-Language` header. @default "en" */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
