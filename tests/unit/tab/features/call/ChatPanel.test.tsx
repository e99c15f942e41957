import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ChatPanel } from '../../../../../tab/src/features/call/ChatPanel';
import { renderInTab } from '../../render';

describe('ChatPanel', () => {
  it('says there are no messages yet, and that they are not kept', () => {
    renderInTab(<ChatPanel lines={[]} peerName="Customer" onSend={() => true} />);
    expect(screen.getByRole('heading', { name: 'Chat' })).toBeInTheDocument();
    expect(screen.getByText(/Messages are gone when the call ends/)).toBeInTheDocument();
  });

  it('names who wrote each line, in a live region', () => {
    renderInTab(
      <ChatPanel
        lines={[
          { id: '1', mine: false, text: 'Hello?' },
          { id: '2', mine: true, text: 'I can hear you' },
        ]}
        peerName="Customer"
        onSend={() => true}
      />,
    );
    const log = screen.getByTestId('chat-log');
    expect(log).toHaveAttribute('aria-live', 'polite');
    expect(log.querySelectorAll('li')[0]).toHaveTextContent('Customer: Hello?');
    expect(log.querySelectorAll('li')[1]).toHaveTextContent('You: I can hear you');
    expect(screen.queryByText(/No messages/)).not.toBeInTheDocument();
  });

  it('sends with Enter and clears the field when the message went', async () => {
    const onSend = jest.fn(() => true);
    renderInTab(<ChatPanel lines={[]} peerName="Customer" onSend={onSend} />);
    const input = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(input, 'On my way{Enter}');
    expect(onSend).toHaveBeenCalledWith('On my way');
    expect(input).toHaveValue('');
    expect(screen.queryByText(/not sent/)).not.toBeInTheDocument();
  });

  it('keeps the text and says it was not sent when the channel is down', async () => {
    renderInTab(<ChatPanel lines={[]} peerName="Customer" onSend={() => false} />);
    const input = screen.getByRole('textbox', { name: 'Message' });
    await userEvent.type(input, 'Are you there?');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(input).toHaveValue('Are you there?');
    expect(screen.getByText('Not connected: the message was not sent.')).toBeInTheDocument();
  });

  it('does not complain about an empty message', async () => {
    const onSend = jest.fn(() => false);
    renderInTab(<ChatPanel lines={[]} peerName="Customer" onSend={onSend} />);
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.queryByText(/not sent/)).not.toBeInTheDocument();
  });
});
