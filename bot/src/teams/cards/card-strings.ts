import type { Locale } from '@shared';

/** Everything a card says, per language. Customer-provided text is never part of these strings. */
export type CardStrings = {
  readonly appName: string;
  readonly waitingTitle: string;
  readonly isWaiting: string;
  readonly someone: string;
  readonly factCall: string;
  readonly factCustomer: string;
  readonly guest: string;
  readonly factWaiting: string;
  readonly waitedFor: (since: string, minutes: number) => string;
  readonly factLinkSent: string;
  readonly factTeam: string;
  readonly factState: string;
  readonly admit: string;
  readonly declineMenu: string;
  readonly decline: string;
  readonly reasonLabel: string;
  readonly reasonPlaceholder: string;
  readonly messageMenu: string;
  readonly quickMessages: readonly [string, string];
  readonly openTab: string;
  /** Teams meetings: opens the meeting in Teams (deep link). */
  readonly joinMeeting: string;
  /** After Admit in a Teams meeting: the customer waits in Teams until a signed-in person is in. */
  readonly joinHint: string;
  /** A meeting step that failed for good: what the agent must do in Teams instead. */
  readonly meetingProblem: Readonly<Record<'admit' | 'lock' | 'relock' | 'close', string>>;
  readonly escalated: (seconds: number) => string;
  readonly reminder: string;
  readonly lastMessage: (time: string) => string;
  readonly admittedBy: (agent: string, time: string) => string;
  readonly inCall: (agent: string) => string;
  readonly declinedAt: (time: string) => string;
  readonly reason: string;
  readonly leftAt: (time: string) => string;
  readonly timedOutAt: (time: string) => string;
  readonly revokedAt: (time: string) => string;
  readonly endedAt: (time: string) => string;
  readonly expired: string;
  readonly notClaimed: string;
  readonly states: Readonly<Record<string, string>>;
  readonly errorTitle: string;
  readonly errors: {
    readonly badPayload: string;
    readonly notAvailable: string;
    readonly unknownUser: string;
    readonly internal: string;
  };
  readonly showCurrent: string;
  readonly helpTitle: string;
  readonly helpIntro: string;
  readonly helpCommands: readonly (readonly [string, string])[];
  readonly helpUnknown: string;
  readonly welcome: string;
  readonly newTitle: string;
  readonly newLink: string;
  readonly newSms: (units: number, segments: number) => string;
  readonly newEmail: string;
  readonly newHint: string;
  readonly listTitle: string;
  readonly listEmpty: string;
  readonly listMore: (n: number) => string;
  readonly onlyPersonal: string;
};

const EN: CardStrings = {
  appName: 'One-Time Call',
  waitingTitle: 'Customer waiting',
  isWaiting: ' is waiting in the lobby',
  someone: 'A customer',
  factCall: 'Call',
  factCustomer: 'Customer',
  guest: 'Guest (no Teams account)',
  factWaiting: 'Waiting',
  waitedFor: (since, minutes) =>
    minutes < 1 ? `since ${since} (less than a minute)` : `since ${since} (${minutes} min)`,
  factLinkSent: 'Link created',
  factTeam: 'Team',
  factState: 'Status',
  admit: 'Admit',
  declineMenu: 'Decline…',
  decline: 'Decline',
  reasonLabel: 'Reason (optional; the customer sees it)',
  reasonPlaceholder: 'e.g. Please book a new appointment',
  messageMenu: 'Message…',
  quickMessages: ["I'll be with you in 2 minutes", 'Please have the device ready'],
  openTab: 'Open One-Time Call',
  joinMeeting: 'Join meeting',
  joinHint: 'Join the meeting now: Teams lets your customer in once you are there.',
  meetingProblem: {
    admit:
      'The Teams lobby could not be opened — open it in Teams (Meeting options) or admit your customer there.',
    lock: 'The Teams lobby could not be locked again — lock it in Teams (Meeting options).',
    relock: 'The Teams lobby could not be locked again — lock it in Teams (Meeting options).',
    close: 'The Teams meeting could not be closed — cancel it in your Teams calendar.',
  },
  escalated: (seconds) => `Still waiting: nobody has reacted for ${seconds} s.`,
  reminder: 'Reminder: your customer is still waiting.',
  lastMessage: (time) => `Your message (${time}):`,
  admittedBy: (agent, time) => `Admitted by ${agent} at ${time}.`,
  inCall: (agent) => `In the call (admitted by ${agent}).`,
  declinedAt: (time) => `Declined at ${time}.`,
  reason: 'Reason:',
  leftAt: (time) => `Left the lobby at ${time}.`,
  timedOutAt: (time) => `Waited too long: the lobby timed out at ${time}.`,
  revokedAt: (time) => `The link was revoked at ${time}.`,
  endedAt: (time) => `The call ended at ${time}.`,
  expired: 'The link expired.',
  notClaimed: 'Nobody has used the link yet.',
  states: {
    scheduled: 'Link created',
    waiting: 'Waiting',
    admitted: 'Admitted',
    in_call: 'In the call',
    ended: 'Ended',
    declined: 'Declined',
    revoked: 'Revoked',
    expired: 'Expired',
    abandoned: 'Left',
    timed_out: 'Timed out',
  },
  errorTitle: 'That did not work',
  errors: {
    badPayload:
      'This button sent something the bot does not understand. Please use the tab instead.',
    notAvailable: 'This call is not available to you any more.',
    unknownUser: 'Teams did not say who you are, so nothing was changed.',
    internal: 'Something went wrong on our side. Please try again, or use the tab.',
  },
  showCurrent: 'Show current status',
  helpTitle: 'One-Time Call',
  helpIntro:
    'I tell you when a customer is waiting in the lobby of your one-time call link, wherever you are in Teams. Admit or decline right from the card.',
  helpCommands: [
    ['new [title]', 'Make a new one-time link (with texts for email and SMS)'],
    ['list', 'Your active calls'],
    ['help', 'This help'],
  ],
  helpUnknown: 'I did not understand that. Here is what I can do:',
  welcome: 'Welcome! From now on I will tell you here when a customer is waiting.',
  newTitle: 'Your one-time link is ready',
  newLink: 'Join link',
  newSms: (units, segments) =>
    `SMS (${units} characters, ${segments} ${segments === 1 ? 'message' : 'messages'})`,
  newEmail: 'Email',
  newHint: 'The link works once. I will tell you here when the customer is waiting.',
  listTitle: 'Your active calls',
  listEmpty: 'You have no active calls. Type "new" to make a link.',
  listMore: (n) => `…and ${n} more in the tab.`,
  onlyPersonal: 'Please use this command in your personal chat with me.',
};

const DE: CardStrings = {
  appName: 'One-Time Call',
  waitingTitle: 'Kunde wartet',
  isWaiting: ' wartet in der Lobby',
  someone: 'Ein Kunde',
  factCall: 'Anruf',
  factCustomer: 'Kunde',
  guest: 'Gast (ohne Teams-Konto)',
  factWaiting: 'Wartet',
  waitedFor: (since, minutes) =>
    minutes < 1 ? `seit ${since} (weniger als eine Minute)` : `seit ${since} (${minutes} Min.)`,
  factLinkSent: 'Link erstellt',
  factTeam: 'Team',
  factState: 'Status',
  admit: 'Einlassen',
  declineMenu: 'Ablehnen…',
  decline: 'Ablehnen',
  reasonLabel: 'Grund (optional; der Kunde sieht ihn)',
  reasonPlaceholder: 'z. B. Bitte vereinbaren Sie einen neuen Termin',
  messageMenu: 'Nachricht…',
  quickMessages: ['Ich bin in 2 Minuten bei Ihnen', 'Bitte halten Sie das Gerät bereit'],
  openTab: 'One-Time Call öffnen',
  joinMeeting: 'Besprechung beitreten',
  joinHint:
    'Treten Sie der Besprechung jetzt bei: Teams lässt Ihren Kunden herein, sobald Sie da sind.',
  meetingProblem: {
    admit:
      'Der Teams-Wartebereich konnte nicht geöffnet werden – öffnen Sie ihn in Teams (Besprechungsoptionen) oder lassen Sie Ihren Kunden dort herein.',
    lock: 'Der Teams-Wartebereich konnte nicht wieder geschlossen werden – schließen Sie ihn in Teams (Besprechungsoptionen).',
    relock:
      'Der Teams-Wartebereich konnte nicht wieder geschlossen werden – schließen Sie ihn in Teams (Besprechungsoptionen).',
    close:
      'Die Teams-Besprechung konnte nicht beendet werden – sagen Sie sie in Ihrem Teams-Kalender ab.',
  },
  escalated: (seconds) => `Wartet noch: seit ${seconds} s hat niemand reagiert.`,
  reminder: 'Erinnerung: Ihr Kunde wartet noch.',
  lastMessage: (time) => `Ihre Nachricht (${time}):`,
  admittedBy: (agent, time) => `Um ${time} von ${agent} eingelassen.`,
  inCall: (agent) => `Im Anruf (eingelassen von ${agent}).`,
  declinedAt: (time) => `Um ${time} abgelehnt.`,
  reason: 'Grund:',
  leftAt: (time) => `Hat die Lobby um ${time} verlassen.`,
  timedOutAt: (time) => `Zu lange gewartet: Die Lobby ist um ${time} abgelaufen.`,
  revokedAt: (time) => `Der Link wurde um ${time} widerrufen.`,
  endedAt: (time) => `Der Anruf endete um ${time}.`,
  expired: 'Der Link ist abgelaufen.',
  notClaimed: 'Der Link wurde noch nicht benutzt.',
  states: {
    scheduled: 'Link erstellt',
    waiting: 'Wartet',
    admitted: 'Eingelassen',
    in_call: 'Im Anruf',
    ended: 'Beendet',
    declined: 'Abgelehnt',
    revoked: 'Widerrufen',
    expired: 'Abgelaufen',
    abandoned: 'Gegangen',
    timed_out: 'Wartezeit abgelaufen',
  },
  errorTitle: 'Das hat nicht geklappt',
  errors: {
    badPayload:
      'Diese Schaltfläche hat etwas gesendet, das der Bot nicht versteht. Bitte nutzen Sie den Tab.',
    notAvailable: 'Dieser Anruf ist für Sie nicht mehr verfügbar.',
    unknownUser: 'Teams hat nicht mitgeteilt, wer Sie sind; es wurde nichts geändert.',
    internal:
      'Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut oder nutzen Sie den Tab.',
  },
  showCurrent: 'Aktuellen Status zeigen',
  helpTitle: 'One-Time Call',
  helpIntro:
    'Ich sage Ihnen Bescheid, wenn ein Kunde in der Lobby Ihres Einmal-Links wartet, egal wo Sie in Teams sind. Einlassen oder ablehnen direkt auf der Karte.',
  helpCommands: [
    ['new [Titel]', 'Einen neuen Einmal-Link erstellen (mit Texten für E-Mail und SMS)'],
    ['list', 'Ihre aktiven Anrufe'],
    ['help', 'Diese Hilfe'],
  ],
  helpUnknown: 'Das habe ich nicht verstanden. Das kann ich:',
  welcome: 'Willkommen! Ab jetzt sage ich Ihnen hier Bescheid, wenn ein Kunde wartet.',
  newTitle: 'Ihr Einmal-Link ist fertig',
  newLink: 'Link zum Beitreten',
  newSms: (units, segments) =>
    `SMS (${units} Zeichen, ${segments} ${segments === 1 ? 'Nachricht' : 'Nachrichten'})`,
  newEmail: 'E-Mail',
  newHint: 'Der Link funktioniert einmal. Ich sage Ihnen hier Bescheid, wenn der Kunde wartet.',
  listTitle: 'Ihre aktiven Anrufe',
  listEmpty: 'Sie haben keine aktiven Anrufe. Schreiben Sie „new“, um einen Link zu erstellen.',
  listMore: (n) => `…und ${n} weitere im Tab.`,
  onlyPersonal: 'Bitte nutzen Sie diesen Befehl im persönlichen Chat mit mir.',
};

const STRINGS: Readonly<Record<Locale, CardStrings>> = { en: EN, de: DE };

/** The strings of a locale. */
export const cardStrings = (locale: Locale): CardStrings => STRINGS[locale];

/** A client locale (`de-DE`, `de`, `en-US`, `undefined`) as one of ours; English when unknown. */
export function cardLocale(clientLocale: string | undefined): Locale {
  return clientLocale?.toLowerCase().startsWith('de') ? 'de' : 'en';
}
