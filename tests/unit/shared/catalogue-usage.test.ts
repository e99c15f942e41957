import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, sources } from '../../support/sources';
import { TAB_MESSAGES, messageArguments } from '@shared';

// The formatter throws in tests for a missing argument, but only on the paths a test renders: this
// reads every literal `t('key', { … })` in the tab and compares it with the message it names.
describe("the tab's calls of t()", () => {
  it('give every argument their message takes', () => {
    const messages: Readonly<Record<string, string>> = TAB_MESSAGES.en;
    const problems: string[] = [];
    let calls = 0;
    for (const file of sources(join(ROOT, 'tab/src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([\w-]+)'\s*(?:\)|,\s*\{([^}]*)\})/g)) {
        const message = messages[match[1]!];
        if (message === undefined) continue;
        calls++;
        const given = (match[2] ?? '')
          .split(',')
          .map((part) => part.split(':')[0]!.trim())
          .filter(Boolean);
        for (const name of messageArguments(message).keys()) {
          if (!given.includes(name)) {
            problems.push(`${relative(ROOT, file)}: t('${match[1]}') without {${name}}`);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});
