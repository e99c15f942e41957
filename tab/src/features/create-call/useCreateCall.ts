import type { CreateCallRequest, CreateCallResponse } from '@shared';
import { useCallback, useState } from 'react';
import { errorCodeOf, fieldsOf, type ApiClient } from '../../api';
import type { CreateState } from './CreateCallForm';

/** Creates a call; `created` holds the last link made, until the agent closes it. */
export function useCreateCall(api: ApiClient, onCreated: (created: CreateCallResponse) => void) {
  const [state, setState] = useState<CreateState>({ status: 'idle' });
  const create = useCallback(
    (request: CreateCallRequest) => {
      setState({ status: 'creating' });
      api.createCall(request).then(
        (created) => {
          setState({ status: 'idle' });
          onCreated(created);
        },
        (error: unknown) =>
          setState({ status: 'failed', code: errorCodeOf(error), fields: fieldsOf(error) }),
      );
    },
    [api, onCreated],
  );
  return { state, create };
}
