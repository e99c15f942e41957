import { copyText, legacyCopy } from '../../../../../tab/src/features/share/copy';
import { FakeCopy } from '../../fakes/fake-services';

describe('copyText', () => {
  it('skips navigator.clipboard when the browser has none', async () => {
    const copy = new FakeCopy();
    copy.hostWorks = true;

    await expect(copyText('hi', { ...copy, clipboard: undefined })).resolves.toBe('host');
    expect(copy.used).toEqual(['host']);
  });

  it('reports manual when execCommand throws', async () => {
    const copy = new FakeCopy();
    copy.clipboardWorks = false;
    const throwing = () => {
      throw new Error('SecurityError');
    };

    await expect(copyText('hi', { ...copy, legacyCopy: throwing })).resolves.toBe('manual');
  });
});

describe('legacyCopy', () => {
  it('copies from a temporary selected textarea and gives focus back', () => {
    const button = document.createElement('button');
    document.body.appendChild(button);
    button.focus();
    const selections: string[] = [];
    const doc = Object.assign(document, {
      execCommand: (command: string) => {
        const area = document.querySelector('textarea');
        selections.push(`${command}:${area?.value.slice(area.selectionStart, area.selectionEnd)}`);
        return true;
      },
    });

    expect(legacyCopy('the link', doc)).toBe(true);
    expect(selections).toEqual(['copy:the link']);
    expect(document.querySelector('textarea')).toBeNull();
    expect(button).toHaveFocus();
  });
});
