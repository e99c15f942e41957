/** JSON as it goes on the wire. */
export type Json =
  string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** An Adaptive Card element or action: a JSON object with a `type`. */
export type CardElement = { readonly type: string; readonly [key: string]: Json };

/** An Adaptive Card (schema 1.5), ready for `application/vnd.microsoft.card.adaptive`. */
export type AdaptiveCard = {
  readonly type: 'AdaptiveCard';
  readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  readonly version: '1.5';
  readonly body: readonly CardElement[];
  /** `actions` and host extras (`msteams`) live under other keys. */
  readonly [key: string]: Json;
};

/** The verbs our cards send (`Action.Execute` verb, or `verb` in the `Action.Submit` fallback data). */
export type CardVerb = 'admit' | 'decline' | 'message' | 'refresh';
