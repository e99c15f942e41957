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

// jsdom lays out no SVG: Fluent's charts measure axis labels, so give them zero-sized text.
const svgProto = (globalThis as { SVGElement?: { prototype: object } }).SVGElement?.prototype;
if (svgProto && !('getComputedTextLength' in svgProto)) {
  Object.assign(svgProto, {
    getComputedTextLength: () => 0,
    getBBox: () => ({ x: 0, y: 0, width: 0, height: 0 }),
  });
}

// jsdom and Fluent under coverage instrumentation on a busy machine need more than jest's 5 s per
// test (testTimeout is a global option, so the tab project sets its own here).
jest.setTimeout(15_000);
