import '@testing-library/jest-dom';
import { TextDecoder, TextEncoder } from 'node:util';

// jsdom lacks the Encoding API that browsers (and the qrcode package) have.
Object.assign(globalThis, { TextEncoder, TextDecoder });
