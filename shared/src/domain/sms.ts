/** How an SMS is encoded: GSM 03.38 7-bit when every character fits, otherwise UCS-2. */
export type SmsEncoding = 'gsm7' | 'ucs2';

/** Length, encoding and segment count of an SMS text. */
export type SmsMeasure = {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  readonly units: number;
  /** Characters as a person counts them. */
  readonly characters: number;
  readonly segments: number;
  /** Units that still fit in the current last segment. */
  readonly remaining: number;
  /** Units one segment holds for this encoding when the text is a single segment. */
  readonly singleLimit: number;
};

/* eslint-disable no-secrets/no-secrets -- the GSM 03.38 character table, not a secret */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';
/* eslint-enable no-secrets/no-secrets */
const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

/** Units per segment: a single message, and each part of a concatenated one (the UDH takes the rest). */
export const SMS_LIMITS = {
  gsm7: { single: 160, multi: 153 },
  ucs2: { single: 70, multi: 67 },
} as const satisfies Record<SmsEncoding, { single: number; multi: number }>;

/** Measures an SMS text the way a phone network does. An empty text is one empty segment. */
export function measureSms(text: string): SmsMeasure {
  const chars = Array.from(text);
  let septets = 0;
  let gsm = true;
  for (const c of chars) {
    if (BASIC.has(c)) septets += 1;
    else if (EXTENSION.has(c)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  const encoding: SmsEncoding = gsm ? 'gsm7' : 'ucs2';
  const units = gsm ? septets : text.length;
  const limit = SMS_LIMITS[encoding];
  const segments = units <= limit.single ? 1 : Math.ceil(units / limit.multi);
  const capacity = segments === 1 ? limit.single : segments * limit.multi;
  return {
    encoding,
    units,
    characters: chars.length,
    segments,
    remaining: capacity - units,
    singleLimit: limit.single,
  };
}
