import type { Report } from '@shared';
import { useCallback, useEffect, useState } from 'react';
import { errorCodeOf, type ApiClient, type ApiErrorCode, type ReportParams } from '../../api';

/** What the Reports view shows. */
export type ReportState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly report: Report }
  | { readonly status: 'failed'; readonly code: ApiErrorCode };

const LOADING: ReportState = { status: 'loading' };

/** Loads the report for `params` (again whenever they change); `reload` after a failure. */
export function useReport(api: ApiClient, params: ReportParams) {
  const [attempt, setAttempt] = useState(0);
  const { scope, teamId, from, to, timeZone } = params;
  const key = `${scope}|${teamId ?? ''}|${from}|${to}|${timeZone}|${attempt}`;
  // The answer is kept with the request it answers: a newer request shows "loading" until its own.
  const [result, setResult] = useState<{ key: string; state: ReportState }>();
  useEffect(() => {
    let current = true;
    api.report({ scope, teamId, from, to, timeZone }).then(
      (report) => current && setResult({ key, state: { status: 'ready', report } }),
      (error: unknown) =>
        current && setResult({ key, state: { status: 'failed', code: errorCodeOf(error) } }),
    );
    return () => {
      current = false;
    };
  }, [api, scope, teamId, from, to, timeZone, key]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state: result?.key === key ? result.state : LOADING, reload };
}
