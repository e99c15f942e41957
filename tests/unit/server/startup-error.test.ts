import { describeStartupError, redactSecrets } from '../../../bot/src/startup-error';

describe('a start-up failure names its cause without secrets (issue 13)', () => {
  it('names each refused address of an AggregateError with an empty message', () => {
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}:5432`), { code: 'ECONNREFUSED' });
    const error = new AggregateError([refused('127.0.0.1'), refused('::1')], '');
    const text = describeStartupError(error);
    expect(text).toContain('ECONNREFUSED 127.0.0.1:5432');
    expect(text).toContain('(ECONNREFUSED)');
  });

  it('follows the cause chain and hides passwords in connection strings', () => {
    const error = new Error('migration failed for postgres://app:Sup3rS3cret@db.internal/calls', {
      cause: new Error('password authentication failed for user "app" (password=Sup3rS3cret)'),
    });
    const text = describeStartupError(error);
    expect(text).toContain('postgres://app:***@db.internal/calls');
    expect(text).toContain('password authentication failed');
    expect(text).not.toContain('Sup3rS3cret');
    expect(redactSecrets('postgresql://u:p%40ss@h:5432/d')).toBe('postgresql://u:***@h:5432/d');
  });
});
