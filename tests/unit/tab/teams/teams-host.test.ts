import { connectTeamsHost, createStandaloneHost } from '../../../../tab/src/teams';

describe('Teams host', () => {
  it('runs standalone in a top-level browser window without waiting for Teams', async () => {
    const host = await connectTeamsHost({ timeoutMs: 60_000 });

    expect(host.mode).toBe('standalone');
    await expect(host.getAuthToken()).resolves.toBeUndefined();
    await expect(host.getContext()).resolves.toEqual({
      theme: undefined,
      locale: undefined,
      team: undefined,
      frameContext: 'content',
    });
  });

  it('refuses the Teams clipboard outside Teams, so copying falls through to the next way', async () => {
    await expect(createStandaloneHost().copy('text')).rejects.toThrow(
      /only available inside Teams/,
    );
  });
});
