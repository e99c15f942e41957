import type { CallChange, CallEventBus } from '@shared';

/** Fans changes out inside one process. A listener that throws does not stop the others. */
export class InMemoryCallEventBus implements CallEventBus {
  private readonly listeners = new Set<(change: CallChange) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  publish(change: CallChange): Promise<void> {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return Promise.resolve();
  }

  subscribe(listener: (change: CallChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
