import { AppError } from '@shared';
import { GraphHttpError } from '../../../bot/src/adapters/graph/graph-client';
import { errorFields } from '../../../bot/src/logger';

describe('errorFields', () => {
  it("logs Graph's request-id from the error's cause, for Microsoft support", () => {
    const cause = new GraphHttpError(403, 'Forbidden', 'Graph 403 Forbidden: no', 'req-7f3a');
    const error = new AppError('forbidden', 'Microsoft Graph refused', { cause });
    expect(errorFields(error)).toEqual({
      error: 'AppError',
      errorMessage: 'Microsoft Graph refused',
      errorCode: 'forbidden',
      upstreamRequestId: 'req-7f3a',
    });
  });

  it('leaves the request-id out when no upstream gave one', () => {
    expect(errorFields(new Error('plain'))).toEqual({ error: 'Error', errorMessage: 'plain' });
  });
});
