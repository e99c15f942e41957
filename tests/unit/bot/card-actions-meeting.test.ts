import { AppError, asAadObjectId, claimLink, createCall, type AgentPrincipal } from '@shared';
import { runCardAction } from '../../../bot/src/teams/card-actions';
import { fakeDeps } from '../../fakes/fake-deps';
import { RecordingLogger } from './world';

const alice: AgentPrincipal = { id: asAadObjectId('alice'), name: 'Alice' };

it('admits from a card even when the meeting does not follow, and logs that it did not', async () => {
  const f = fakeDeps();
  const logger = new RecordingLogger();
  const created = await createCall(f.deps, alice, {});
  await claimLink(f.deps, created.code, 'Anna Schmidt', undefined);
  f.meetings.failWith = new AppError('upstream-unavailable', 'graph down');

  const card = await runCardAction(
    { deps: f.deps, locale: 'en', tabUrl: 'https://calls.example.com/', logger },
    alice,
    { verb: 'admit', callId: created.call.id },
  );

  expect((await f.store.get(created.call.id))?.state).toBe('admitted');
  expect(JSON.stringify(card)).not.toMatch(/went wrong/i);
  const warning = logger.lines.find(
    (l) => l.message === 'meeting provider failed after the call moved',
  );
  expect(warning?.fields).toMatchObject({
    action: 'admit',
    callId: created.call.id,
    errorCode: 'upstream-unavailable',
  });
  expect(JSON.stringify(logger.lines)).not.toContain('Anna');
});
