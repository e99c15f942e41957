import type { CallDto } from '@shared';
import type { CallStreamHandlers } from '../../../../tab/src/api';
import type { AppServices } from '../../../../tab/src/app/services';
import { createLinkStore, type CopyDeps } from '../../../../tab/src/features/share';
import { createStandaloneHost } from '../../../../tab/src/teams';
import { FakeApiClient } from './fake-api';

/** The event stream, driven by the test. */
export class FakeCallStream {
  private handlers: CallStreamHandlers | undefined;
  follows = 0;

  readonly follow = (handlers: CallStreamHandlers): (() => void) => {
    this.handlers = handlers;
    this.follows += 1;
    handlers.onStatus?.('open');
    return () => {
      this.handlers = undefined;
    };
  };

  push(call: CallDto): void {
    this.handlers?.onCall(call);
  }

  reconnect(): void {
    this.handlers?.onStatus?.('open');
    this.handlers?.onReconnected?.();
  }
}

/** A Map-backed Storage. */
export class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  private readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

/** Clipboard mechanisms that record what they were given; each can be made to fail. */
export class FakeCopy implements CopyDeps {
  readonly copied: string[] = [];
  clipboardWorks = true;
  hostWorks = false;
  legacyWorks = false;
  readonly used: string[] = [];

  readonly clipboard = {
    writeText: (text: string): Promise<void> => {
      this.used.push('clipboard');
      if (!this.clipboardWorks)
        return Promise.reject(new DOMException('blocked', 'NotAllowedError'));
      this.copied.push(text);
      return Promise.resolve();
    },
  };

  readonly hostCopy = (text: string): Promise<void> => {
    this.used.push('host');
    if (!this.hostWorks) return Promise.reject(new Error('not in Teams'));
    this.copied.push(text);
    return Promise.resolve();
  };

  readonly legacyCopy = (text: string): boolean => {
    this.used.push('legacy');
    if (this.legacyWorks) this.copied.push(text);
    return this.legacyWorks;
  };
}

export function fakeServices(overrides: Partial<AppServices> = {}) {
  const api = new FakeApiClient();
  const stream = new FakeCallStream();
  const copy = new FakeCopy();
  const storage = new MemoryStorage();
  const session = new MemoryStorage();
  const beeps: number[] = [];
  const services: AppServices = {
    api,
    host: createStandaloneHost(),
    links: createLinkStore(storage as unknown as Storage),
    copy,
    followCalls: stream.follow,
    preferences: storage,
    session,
    beep: () => beeps.push(1),
    ...overrides,
  };
  return { services, api, stream, copy, storage, session, beeps };
}
