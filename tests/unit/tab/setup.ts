import '@testing-library/jest-dom';
import { TextDecoder, TextEncoder } from 'node:util';

// jsdom lacks the Encoding API that browsers (and the qrcode package) have.
Object.assign(globalThis, { TextEncoder, TextDecoder });

// Nor ResizeObserver, which Fluent's MessageBar uses to reflow its actions.
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
if (!('ResizeObserver' in globalThis))
  Object.assign(globalThis, { ResizeObserver: NoopResizeObserver });

// jsdom and Fluent under coverage instrumentation on a busy machine need more than jest's 5 s per
// test (testTimeout is a global option, so the tab project sets its own here).
jest.setTimeout(15_000);
