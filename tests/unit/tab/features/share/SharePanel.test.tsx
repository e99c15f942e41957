import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SharePanel } from '../../../../../tab/src/features/share';
import { aCreatedCall } from '../../builders';
import { FakeCopy } from '../../fakes/fake-services';
import { renderInTab } from '../../render';

function renderPanel(copy = new FakeCopy()) {
  const created = aCreatedCall({ link: 'https://calls.example.com/j/abcDEF123' });
  renderInTab(<SharePanel title="Router setup" texts={created} copy={copy} />);
  return { copy, created, user: userEvent.setup() };
}

const smsBox = () => screen.getByRole('textbox', { name: 'SMS text' });

describe('SharePanel', () => {
  it('shows the link and a QR code labelled with it', async () => {
    renderPanel();

    expect(screen.getByRole('heading', { name: 'Link ready: Router setup' })).toBeInTheDocument();
    expect(screen.getByText('https://calls.example.com/j/abcDEF123')).toBeInTheDocument();
    // The QR code is drawn after its library loads (a lazy import): on a loaded CI machine, with
    // every project running at once, that took longer than findBy's 1 s default.
    expect(
      await screen.findByRole(
        'img',
        { name: 'QR code of the join link https://calls.example.com/j/abcDEF123' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  });

  it('counts SMS characters and segments as the text is edited', async () => {
    const { user } = renderPanel();

    await user.clear(smsBox());
    await user.type(smsBox(), 'Hello');

    expect(smsBox()).toHaveAccessibleDescription('5 characters, 5 of 160 GSM-7 units, 1 SMS');
    expect(screen.queryByText(/needs \d+ SMS messages/)).not.toBeInTheDocument();
  });

  it('warns when the SMS needs more than one segment', async () => {
    const { user } = renderPanel();

    await user.clear(smsBox());
    await user.click(smsBox());
    await user.paste('x'.repeat(161));

    expect(smsBox()).toHaveAccessibleDescription('161 characters, 161 of 306 GSM-7 units, 2 SMS');
    expect(screen.getByText(/This text needs 2 SMS messages/)).toBeInTheDocument();
  });

  it('names UCS-2 and its 70-character limit when the text has characters outside GSM-7', async () => {
    const { user } = renderPanel();

    await user.clear(smsBox());
    await user.click(smsBox());
    await user.paste(`Grüße 🙂 ${'a'.repeat(70)}`);

    expect(smsBox()).toHaveAccessibleDescription(/UCS-2 \(Unicode\) units, 2 SMS$/);
    expect(screen.getByText(/one SMS holds only 70 characters/)).toBeInTheDocument();
  });

  it('copies the edited email text and confirms it', async () => {
    const { copy, user } = renderPanel();
    const message = screen.getByRole('textbox', { name: 'Email text' });

    await user.type(message, 'PS: bring the router.');
    await user.click(screen.getByRole('button', { name: 'Copy message' }));

    expect(copy.copied).toEqual([expect.stringMatching(/PS: bring the router\.$/)]);
    expect(copy.used).toEqual(['clipboard']);
    expect(screen.getByText(/Message copied/)).toBeInTheDocument();
  });

  it('copies the SMS text with the join link', async () => {
    const { copy, created, user } = renderPanel();

    await user.click(screen.getByRole('button', { name: 'Copy SMS text' }));

    expect(copy.copied).toEqual([created.sms.text]);
    expect(screen.getByText(/SMS text copied/)).toBeInTheDocument();
  });

  it('falls back to the Teams clipboard when navigator.clipboard is blocked', async () => {
    const copy = new FakeCopy();
    copy.clipboardWorks = false;
    copy.hostWorks = true;
    const { created, user } = renderPanel(copy);

    await user.click(screen.getByRole('button', { name: 'Copy SMS text' }));

    expect(copy.used).toEqual(['clipboard', 'host']);
    expect(copy.copied).toEqual([created.sms.text]);
    expect(screen.getByText(/SMS text copied/)).toBeInTheDocument();
  });

  it('falls back to execCommand copy when both clipboards fail', async () => {
    const copy = new FakeCopy();
    copy.clipboardWorks = false;
    copy.legacyWorks = true;
    const { user } = renderPanel(copy);

    await user.click(screen.getByRole('button', { name: 'Copy join link' }));

    expect(copy.used).toEqual(['clipboard', 'host', 'legacy']);
    expect(copy.copied).toEqual(['https://calls.example.com/j/abcDEF123']);
    expect(screen.getByText('✓ Join link copied.')).toBeInTheDocument();
  });

  it('shows the text selected with a Ctrl+C hint when no way of copying works', async () => {
    const copy = new FakeCopy();
    copy.clipboardWorks = false;
    const { created, user } = renderPanel(copy);

    await user.click(screen.getByRole('button', { name: 'Copy SMS text' }));

    const manual = screen.getByRole('textbox', { name: 'Text to copy' });
    expect(manual).toHaveValue(created.sms.text);
    expect(manual).toHaveFocus();
    expect((manual as HTMLTextAreaElement).selectionEnd).toBe(created.sms.text.length);
    expect(screen.getByText(/press Ctrl\+C/)).toBeInTheDocument();
    expect(screen.queryByText(/copied/)).not.toBeInTheDocument();
  });
});
