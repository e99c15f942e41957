import type { Locale } from '@shared';

/** The call page's texts: the server renders the static ones, the script gets `live` ones. */
export type CallPageStrings = {
  readonly title: string;
  readonly intro: (agent: string) => string;
  readonly why: string;
  readonly start: string;
  readonly noMedia: string;
  readonly deniedTitle: string;
  readonly deniedText: string;
  readonly helpAndroid: readonly string[];
  readonly helpIos: readonly string[];
  readonly retry: string;
  readonly unsupportedTitle: string;
  readonly unsupportedText: string;
  readonly fallbackLink: string;
  readonly noFallback: string;
  readonly inApp: string;
  readonly remoteLabel: (agent: string) => string;
  readonly selfLabel: string;
  readonly remoteOff: string;
  readonly remoteMuted: string;
  readonly controls: string;
  readonly switchCamera: string;
  readonly sendPhoto: string;
  readonly showDrawing: string;
  readonly drawingAlt: (agent: string) => string;
  readonly closeDrawing: string;
  readonly chatTitle: string;
  readonly chatEmpty: string;
  readonly chatLabel: string;
  readonly send: string;
  readonly sound: string;
  readonly leave: string;
  readonly overText: string;
  /** Texts the script shows as the call goes (`{agent}` is replaced). */
  readonly live: Readonly<Record<string, string>>;
};

export const CALL_PAGE_STRINGS: Readonly<Record<Locale, CallPageStrings>> = {
  en: {
    title: 'Your video call',
    intro: (agent) => `${agent} is ready for your video call.`,
    why: 'Your agent will hear you and see what your camera shows, so they can help you. When you tap the button, your browser asks to use the camera and microphone: please tap Allow. Nothing is recorded.',
    start: 'Start camera and microphone',
    noMedia: 'Continue without camera and microphone',
    deniedTitle: 'The camera or microphone is blocked',
    deniedText: 'Your browser did not allow the camera or microphone. To allow them again:',
    helpAndroid: [
      'Tap the lock or settings icon next to the web address.',
      'Tap Permissions (or Site settings).',
      'Set Camera and Microphone to Allow.',
      'Come back here and tap Try again.',
    ],
    helpIos: [
      'Tap "aA" (or the page icon) next to the web address.',
      'Tap Website Settings.',
      'Set Camera and Microphone to Allow.',
      'Come back here and tap Try again. If it still does not work: Settings → Safari → Camera → Allow.',
    ],
    retry: 'Try again',
    unsupportedTitle: 'This browser cannot make video calls',
    unsupportedText:
      'Please open this link in Chrome (Android) or Safari (iPhone), or update your browser.',
    fallbackLink: 'Join with Microsoft Teams instead',
    noFallback: 'If that is not possible, please ask your agent for another way to talk.',
    inApp:
      'You opened this link inside another app. If the camera does not start, open the link in Chrome (Android) or Safari (iPhone): tap the menu (⋮ or …) and choose "Open in browser".',
    remoteLabel: (agent) => `Video of ${agent}`,
    selfLabel: 'Your camera',
    remoteOff: 'Camera is off',
    remoteMuted: 'Microphone is off',
    controls: 'Call controls',
    switchCamera: 'Switch camera',
    sendPhoto: 'Send a photo',
    showDrawing: 'Show the last drawing',
    drawingAlt: (agent) => `Picture with drawing from ${agent}`,
    closeDrawing: 'Close the drawing',
    chatTitle: 'Messages',
    chatEmpty: 'No messages yet. Messages are not kept after the call.',
    chatLabel: 'Your message',
    send: 'Send',
    sound: 'Tap to turn on the sound',
    leave: 'Leave',
    overText: 'The camera and microphone are off now. You can close this page.',
    live: {
      mute: 'Mute',
      unmute: 'Unmute',
      camOff: 'Turn camera off',
      camOn: 'Turn camera on',
      switchFailed: 'The other camera could not be opened.',
      photoSent: 'Photo sent.',
      photoFailed: 'The photo could not be sent. Is the camera on?',
      chatNotSent: 'Not connected yet: the message was not sent.',
      connecting: 'Connecting…',
      waitingAgent: 'Waiting for {agent} to connect…',
      connected: 'Connected with {agent}.',
      reconnecting: 'Reconnecting…',
      ended: 'The call has ended.',
      replaced: 'This call was opened in another window.',
      refused: 'The call could not be opened. Please reload the page.',
      busy: 'This call is already open in another window.',
      you: 'You',
      drawingArrived: '{agent} sent you a drawing.',
      snapshotTaken: '{agent} took a picture of your camera.',
      'quality.good': 'Connection: good',
      'quality.fair': 'Connection: fair',
      'quality.poor': 'Connection: poor',
      'quality.unknown': 'Connection: checking',
      loss: 'loss',
      'mediaError.not-found': 'No camera or microphone was found.',
      'mediaError.in-use': 'The camera is in use by another app. Close it and try again.',
      'mediaError.insecure': 'The page must be opened with https to use the camera.',
      'mediaError.unsupported': 'This browser cannot use the camera.',
      'mediaError.other': 'The camera could not be started.',
    },
  },
  de: {
    title: 'Ihr Videoanruf',
    intro: (agent) => `${agent} ist bereit für Ihren Videoanruf.`,
    why: 'Ihr Ansprechpartner hört Sie und sieht, was Ihre Kamera zeigt, damit er Ihnen helfen kann. Wenn Sie auf die Schaltfläche tippen, fragt Ihr Browser nach Kamera und Mikrofon: Bitte tippen Sie auf „Zulassen“. Es wird nichts aufgezeichnet.',
    start: 'Kamera und Mikrofon starten',
    noMedia: 'Ohne Kamera und Mikrofon fortfahren',
    deniedTitle: 'Kamera oder Mikrofon sind blockiert',
    deniedText: 'Ihr Browser hat Kamera oder Mikrofon nicht erlaubt. So erlauben Sie sie wieder:',
    helpAndroid: [
      'Tippen Sie auf das Schloss- oder Einstellungssymbol neben der Webadresse.',
      'Tippen Sie auf „Berechtigungen“ (oder „Website-Einstellungen“).',
      'Stellen Sie Kamera und Mikrofon auf „Zulassen“.',
      'Kommen Sie hierher zurück und tippen Sie auf „Erneut versuchen“.',
    ],
    helpIos: [
      'Tippen Sie auf „aA“ (oder das Seitensymbol) neben der Webadresse.',
      'Tippen Sie auf „Website-Einstellungen“.',
      'Stellen Sie Kamera und Mikrofon auf „Erlauben“.',
      'Kommen Sie hierher zurück und tippen Sie auf „Erneut versuchen“. Falls es nicht klappt: Einstellungen → Safari → Kamera → Erlauben.',
    ],
    retry: 'Erneut versuchen',
    unsupportedTitle: 'Dieser Browser kann keine Videoanrufe',
    unsupportedText:
      'Bitte öffnen Sie den Link in Chrome (Android) oder Safari (iPhone), oder aktualisieren Sie Ihren Browser.',
    fallbackLink: 'Stattdessen mit Microsoft Teams teilnehmen',
    noFallback:
      'Falls das nicht geht, fragen Sie bitte Ihren Ansprechpartner nach einem anderen Weg.',
    inApp:
      'Sie haben den Link in einer anderen App geöffnet. Startet die Kamera nicht, öffnen Sie den Link in Chrome (Android) oder Safari (iPhone): Tippen Sie auf das Menü (⋮ oder …) und wählen Sie „Im Browser öffnen“.',
    remoteLabel: (agent) => `Video von ${agent}`,
    selfLabel: 'Ihre Kamera',
    remoteOff: 'Kamera ist aus',
    remoteMuted: 'Mikrofon ist aus',
    controls: 'Anrufsteuerung',
    switchCamera: 'Kamera wechseln',
    sendPhoto: 'Foto senden',
    showDrawing: 'Letzte Zeichnung zeigen',
    drawingAlt: (agent) => `Bild mit Zeichnung von ${agent}`,
    closeDrawing: 'Zeichnung schließen',
    chatTitle: 'Nachrichten',
    chatEmpty: 'Noch keine Nachrichten. Nachrichten werden nach dem Anruf nicht aufbewahrt.',
    chatLabel: 'Ihre Nachricht',
    send: 'Senden',
    sound: 'Tippen, um den Ton einzuschalten',
    leave: 'Verlassen',
    overText: 'Kamera und Mikrofon sind jetzt aus. Sie können diese Seite schließen.',
    live: {
      mute: 'Stummschalten',
      unmute: 'Stummschaltung aufheben',
      camOff: 'Kamera ausschalten',
      camOn: 'Kamera einschalten',
      switchFailed: 'Die andere Kamera konnte nicht geöffnet werden.',
      photoSent: 'Foto gesendet.',
      photoFailed: 'Das Foto konnte nicht gesendet werden. Ist die Kamera an?',
      chatNotSent: 'Noch nicht verbunden: Die Nachricht wurde nicht gesendet.',
      connecting: 'Verbindung wird aufgebaut…',
      waitingAgent: 'Warten auf {agent}…',
      connected: 'Verbunden mit {agent}.',
      reconnecting: 'Verbindung wird wiederhergestellt…',
      ended: 'Der Anruf ist beendet.',
      replaced: 'Dieser Anruf wurde in einem anderen Fenster geöffnet.',
      refused: 'Der Anruf konnte nicht geöffnet werden. Bitte laden Sie die Seite neu.',
      busy: 'Dieser Anruf ist bereits in einem anderen Fenster geöffnet.',
      you: 'Sie',
      drawingArrived: '{agent} hat Ihnen eine Zeichnung geschickt.',
      snapshotTaken: '{agent} hat ein Bild Ihrer Kamera aufgenommen.',
      'quality.good': 'Verbindung: gut',
      'quality.fair': 'Verbindung: mittel',
      'quality.poor': 'Verbindung: schlecht',
      'quality.unknown': 'Verbindung: wird geprüft',
      loss: 'Verlust',
      'mediaError.not-found': 'Es wurde keine Kamera und kein Mikrofon gefunden.',
      'mediaError.in-use':
        'Die Kamera wird von einer anderen App benutzt. Schließen Sie sie und versuchen Sie es erneut.',
      'mediaError.insecure': 'Die Seite muss mit https geöffnet werden, um die Kamera zu nutzen.',
      'mediaError.unsupported': 'Dieser Browser kann die Kamera nicht nutzen.',
      'mediaError.other': 'Die Kamera konnte nicht gestartet werden.',
    },
  },
};
