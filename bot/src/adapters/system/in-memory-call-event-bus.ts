import type { CallChange, CallEventBus, CallRoomNote } from '@shared';

/** Fans changes out inside one process. A listener that throws does not stop the others. */
export class InMemoryCallEventBus implements CallEventBus {
  private readonly listeners = new Set<(change: CallChange) => void>();
  private readonly roomListeners = new Set<(note: CallRoomNote) => void>();

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

  announce(note: CallRoomNote): Promise<void> {
    for (const listener of [...this.roomListeners]) {
      try {
        listener(note);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return Promise.resolve();
  }

  subscribeRoom(listener: (note: CallRoomNote) => void): () => void {
    this.roomListeners.add(listener);
    return () => this.roomListeners.delete(listener);
  }

  close(): Promise<void> {
    this.listeners.clear();
    this.roomListeners.clear();
    return Promise.resolve();
  }
}
