import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { COLOURS } from '../../../../../tab/src/features/call/drawing';
import { DrawingEditor } from '../../../../../tab/src/features/call/DrawingEditor';
import { renderInTab } from '../../render';

// jsdom draws nothing and loads no image: a 2D context that records strokes, an image that
// "loads" as soon as it gets a source, and a canvas that exports a blob.
const drawn: string[] = [];
const ctx: Record<string, unknown> = {};
for (const name of ['beginPath', 'moveTo', 'lineTo', 'closePath', 'strokeRect', 'drawImage']) {
  ctx[name] = () => undefined;
}
ctx['arc'] = () => drawn.push(`arc ${String(ctx['strokeStyle'])}`);
ctx['stroke'] = () => drawn.push(`stroke ${String(ctx['strokeStyle'])}`);
ctx['fill'] = () => drawn.push(`fill ${String(ctx['fillStyle'])}`);

const exported = new Blob(['jpeg'], { type: 'image/jpeg' });
beforeAll(() => {
  Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
    configurable: true,
    value: () => ctx,
  });
  Object.defineProperty(HTMLCanvasElement.prototype, 'toBlob', {
    configurable: true,
    value: (cb: (b: Blob) => void) => cb(exported),
  });
  Object.defineProperty(HTMLImageElement.prototype, 'src', {
    configurable: true,
    set(this: HTMLImageElement) {
      setTimeout(() => void this.onload?.(new Event('load')), 0);
    },
  });
});
beforeEach(() => {
  drawn.length = 0;
});

const editor = (onSend = jest.fn(() => Promise.resolve(true))) => {
  renderInTab(<DrawingEditor url="blob:picture" width={400} height={300} onSend={onSend} />);
  return { onSend, canvas: screen.getByTestId('drawing-canvas') };
};

describe('DrawingEditor', () => {
  it('draws a red arrow with the keyboard alone: Enter, arrows, Enter', async () => {
    const { canvas } = editor();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Undo' })).toBeDisabled());
    canvas.focus();
    await userEvent.keyboard('{Enter}{ArrowRight}{ArrowRight}{ArrowDown}{Enter}');
    expect(screen.getByRole('button', { name: 'Undo' })).toBeEnabled();
    await waitFor(() => expect(drawn).toContain(`stroke ${COLOURS.red}`));
    expect(drawn).toContain(`fill ${COLOURS.red}`); // the arrow's head
  });

  it('cancels a shape in progress with Escape', async () => {
    const { canvas } = editor();
    canvas.focus();
    await userEvent.keyboard('{Enter}{ArrowLeft}{Escape}{Enter}');
    // Escape dropped the first shape: the second Enter begins a new one, nothing is committed.
    expect(screen.getByRole('button', { name: 'Undo' })).toBeDisabled();
  });

  it('draws with the chosen tool and colour, and undoes the last shape', async () => {
    const { canvas } = editor();
    await userEvent.click(screen.getByRole('button', { name: 'Circle' }));
    await userEvent.click(screen.getByRole('button', { name: 'Blue' }));
    expect(screen.getByRole('button', { name: 'Blue' })).toHaveAttribute('aria-pressed', 'true');
    canvas.focus();
    await userEvent.keyboard('{Enter}{ArrowUp}{Enter}');
    await waitFor(() => expect(drawn).toContain(`arc ${COLOURS.blue}`));
    const undo = screen.getByRole('button', { name: 'Undo' });
    await userEvent.click(undo);
    expect(undo).toBeDisabled();
  });

  it('draws with a pointer (mouse or touch) from press to release', async () => {
    const { canvas } = editor();
    Object.assign(canvas, {
      setPointerCapture: () => undefined,
      getBoundingClientRect: () => ({ left: 0, top: 0, width: 200, height: 150 }),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Freehand' }));
    fireEvent.pointerDown(canvas, { clientX: 10, clientY: 10, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: 20, clientY: 20, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: 30, clientY: 20, pointerId: 1 });
    expect(screen.getByRole('button', { name: 'Undo' })).toBeEnabled();
  });

  it('sends the drawing at the picture size and says it was sent', async () => {
    const { onSend } = editor();
    await userEvent.click(screen.getByRole('button', { name: 'Send drawing' }));
    expect(onSend).toHaveBeenCalledWith(exported, { width: 400, height: 300 });
    expect(await screen.findByRole('status')).toHaveTextContent('Drawing sent.');
  });

  it('does not say sent when the channel refused it', async () => {
    const { onSend } = editor(jest.fn(() => Promise.resolve(false)));
    await userEvent.click(screen.getByRole('button', { name: 'Send drawing' }));
    expect(onSend).toHaveBeenCalled();
    expect(screen.queryByText('Drawing sent.')).not.toBeInTheDocument();
  });
});
