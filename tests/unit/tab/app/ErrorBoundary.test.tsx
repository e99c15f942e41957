import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ErrorBoundary } from '../../../../tab/src/app/ErrorBoundary';
import { createI18n } from '../../../../tab/src/app/i18n';
import { renderInTab } from '../render';

function Broken(): never {
  throw new Error('a bug');
}

describe('ErrorBoundary', () => {
  it('replaces a crashed view with a way to reload instead of a blank tab', async () => {
    const reloads: number[] = [];
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    renderInTab(
      <ErrorBoundary t={createI18n('en').t} onReload={() => reloads.push(1)}>
        <Broken />
      </ErrorBoundary>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));

    expect(screen.getByRole('alert')).toHaveTextContent('Something went wrong');
    expect(reloads).toHaveLength(1);
    quiet.mockRestore();
  });
});
