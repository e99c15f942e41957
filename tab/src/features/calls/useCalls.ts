import type { CallDto } from '@shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  errorCodeOf,
  type ApiClient,
  type CallStreamHandlers,
  type ListCallsParams,
  type StreamStatus,
} from '../../api';
import type { CallsState } from './CallList';

export type UseCallsOptions = {
  readonly api: ApiClient;
  readonly followCalls: (handlers: CallStreamHandlers) => () => void;
  readonly query: Pick<ListCallsParams, 'scope' | 'teamId'>;
  /** Which streamed calls belong in this list (the stream carries every call the agent may see). */
  readonly belongs: (call: CallDto) => boolean;
};

/** Newer versions win: a late list response never overwrites a fresher streamed call. */
function merge(calls: readonly CallDto[], incoming: CallDto): CallDto[] {
  const index = calls.findIndex((c) => c.id === incoming.id);
  if (index < 0) return [incoming, ...calls];
  const current = calls[index];
  if (current && current.version > incoming.version) return [...calls];
  const next = [...calls];
  next[index] = incoming;
  return next;
}

/**
 * The live list: loads, then follows the event stream, and reloads after a reconnect.
 * `reconnects` counts the stream's returns, for others that refetch after missed events.
 */
export function useCalls({ api, followCalls, query, belongs }: UseCallsOptions) {
  const [state, setState] = useState<CallsState>({ status: 'loading' });
  const [stream, setStream] = useState<StreamStatus>('connecting');
  const [reconnects, setReconnects] = useState(0);
  const belongsRef = useRef(belongs);
  useEffect(() => {
    belongsRef.current = belongs;
  }, [belongs]);
  const { scope, teamId } = query;

  const load = useCallback(() => {
    api.listCalls({ scope, teamId, status: 'all' }).then(
      (calls) =>
        setState((previous) => {
          // Keep any streamed update newer than the list we just got.
          let merged: CallDto[] = [...calls];
          if (previous.status === 'ready') {
            for (const call of previous.calls) {
              const listed = merged.find((c) => c.id === call.id);
              if (listed && listed.version < call.version) merged = merge(merged, call);
            }
          }
          return { status: 'ready', calls: merged };
        }),
      (error: unknown) =>
        setState((previous) =>
          previous.status === 'ready' ? previous : { status: 'failed', code: errorCodeOf(error) },
        ),
    );
  }, [api, scope, teamId]);

  const upsert = useCallback((call: CallDto) => {
    if (!belongsRef.current(call)) return;
    setState((previous) =>
      previous.status === 'ready'
        ? { status: 'ready', calls: merge(previous.calls, call) }
        : previous,
    );
  }, []);

  useEffect(() => {
    load();
    const onReconnected = () => {
      setReconnects((n) => n + 1);
      load();
    };
    return followCalls({ onCall: upsert, onStatus: setStream, onReconnected });
  }, [load, followCalls, upsert]);

  const reload = useCallback(() => {
    setState((previous) => (previous.status === 'failed' ? { status: 'loading' } : previous));
    load();
  }, [load]);

  return { state, stream, reconnects, reload, upsert };
}
