/** The current time, injected so tests control expiry, lobby timeouts and wait timers. */
export interface Clock {
  now(): Date;
}
