import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CreateCallRequest } from '@shared';
import { CreateCallForm, type CreateState } from '../../../../../tab/src/features/create-call';
import { renderInTab } from '../../render';

function renderForm(options: { state?: CreateState; team?: { id: string; name: string } } = {}) {
  const onSubmit = jest.fn<void, [CreateCallRequest]>();
  renderInTab(
    <CreateCallForm
      state={options.state ?? { status: 'idle' }}
      onSubmit={onSubmit}
      defaultLocale="en"
      timeZone="Europe/Berlin"
      team={options.team}
      now={() => new Date('2026-11-25T09:00:00')}
    />,
  );
  return { onSubmit, user: userEvent.setup({ delay: null }) };
}

describe('CreateCallForm', () => {
  it('creates a link with the default title, 30 minutes, starting now, in the browser time zone', async () => {
    const { onSubmit, user } = renderForm();

    await user.click(screen.getByRole('button', { name: 'Create link' }));

    expect(onSubmit).toHaveBeenCalledWith({
      title: 'Call with customer',
      durationMinutes: 30,
      customerLocale: 'en',
      timeZone: 'Europe/Berlin',
    });
  });

  it('uses the default title of the customer language until the agent types a title', async () => {
    const { onSubmit, user } = renderForm();

    await user.selectOptions(screen.getByRole('combobox', { name: "Customer's language" }), 'de');

    expect(screen.getByRole('textbox', { name: 'Title' })).toHaveValue('Gespräch mit Kunde');
    await user.click(screen.getByRole('button', { name: 'Create link' }));
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Gespräch mit Kunde', customerLocale: 'de' }),
    );
  });

  it('keeps a title the agent typed when the language changes', async () => {
    const { user } = renderForm();
    const title = screen.getByRole('textbox', { name: 'Title' });

    await user.clear(title);
    await user.type(title, 'Router setup');
    await user.selectOptions(screen.getByRole('combobox', { name: "Customer's language" }), 'de');

    expect(title).toHaveValue('Router setup');
  });

  it('refuses a duration outside 5 to 480 minutes and says why', async () => {
    const { onSubmit, user } = renderForm();
    const duration = screen.getByRole('spinbutton', { name: 'Duration in minutes' });

    await user.clear(duration);
    await user.type(duration, '600');
    await user.click(screen.getByRole('button', { name: 'Create link' }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Enter a whole number of minutes from 5 to 480.')).toBeInTheDocument();
    expect(duration).toHaveAccessibleDescription('Enter a whole number of minutes from 5 to 480.');
  });

  it('refuses an empty title', async () => {
    const { onSubmit, user } = renderForm();

    await user.clear(screen.getByRole('textbox', { name: 'Title' }));
    await user.click(screen.getByRole('button', { name: 'Create link' }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Enter a title of up to 120 characters.')).toBeInTheDocument();
  });

  it('sends the start time the agent picked', async () => {
    const { onSubmit, user } = renderForm();

    await user.click(screen.getByRole('radio', { name: 'At a set time' }));
    const start = screen.getByLabelText('Start date and time');
    expect(start).toHaveValue('2026-11-25T09:15');
    await user.click(screen.getByRole('button', { name: 'Create link' }));

    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ startsAt: new Date('2026-11-25T09:15').toISOString() }),
    );
  });

  it('makes links of a channel tab belong to its team', async () => {
    const { onSubmit, user } = renderForm({ team: { id: 'team-1', name: 'Support' } });

    await user.click(screen.getByRole('button', { name: 'Create link' }));

    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ team: { id: 'team-1', name: 'Support' } }),
    );
  });

  it('disables the button and shows progress while creating', () => {
    renderForm({ state: { status: 'creating' } });

    expect(screen.getByRole('button', { name: 'Create link' })).toBeDisabled();
    expect(screen.getByText('Creating the link…')).toBeInTheDocument();
  });

  it('explains a failure by its error code, not the server message', () => {
    renderForm({ state: { status: 'failed', code: 'forbidden' } });

    expect(screen.getByText('The link could not be created.')).toBeInTheDocument();
    expect(screen.getByText('You are not allowed to do this.')).toBeInTheDocument();
  });

  it('refuses a start in the past at the field and focuses it, sending nothing', async () => {
    const { onSubmit, user } = renderForm();
    await user.click(screen.getByRole('radio', { name: 'At a set time' }));
    const start = screen.getByLabelText('Start date and time');
    expect(start).toHaveAttribute('min', '2026-11-25T09:00');

    await user.clear(start);
    await user.type(start, '2026-11-24T09:00');
    await user.click(screen.getByRole('button', { name: 'Create link' }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(start).toHaveAccessibleDescription('Pick a start time that is not in the past.');
    expect(start).toHaveAttribute('aria-invalid', 'true');
    expect(start).toHaveFocus();
  });

  it("shows the server's reason at the field it concerns", () => {
    renderForm({
      state: {
        status: 'failed',
        code: 'invalid-input',
        fields: [{ field: 'durationMinutes', reason: 'too_big' }],
      },
    });

    const duration = screen.getByRole('spinbutton', { name: 'Duration in minutes' });
    expect(duration).toHaveAccessibleDescription('Enter a whole number of minutes from 5 to 480.');
    expect(duration).toHaveFocus();
    expect(screen.getByText('Check the marked field.')).toBeInTheDocument();
    expect(screen.queryByText('Some of the entries are not valid.')).not.toBeInTheDocument();
  });

  it('keeps the general notice when the server names no field of the form', () => {
    renderForm({
      state: { status: 'failed', code: 'invalid-input', fields: [{ field: 'body', reason: 'x' }] },
    });

    expect(screen.getByText('Some of the entries are not valid.')).toBeInTheDocument();
  });
});
