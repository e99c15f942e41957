import { isTerminal } from '../domain/call';
import type { CallChange } from '../ports/call-event-bus';
import type { CallDeps } from './context';

/**
 * A call reached a terminal state: its seats and signalling rows are deleted at once (the sweeper
 * deletes what a crash left behind). Resolves true when it deleted anything.
 */
export async function clearCallRoom(deps: CallDeps, change: CallChange): Promise<boolean> {
  if (!deps.room || !isTerminal(change.call.state)) return false;
  await deps.room.signals.deleteCall(change.call.id);
  return true;
}
