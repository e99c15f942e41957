import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, sources } from '../../support/sources';
import { CALL_STATES, TERMINAL_STATES } from '@shared';

/**
 * Where comparing a state with a literal is the job, not a shortcut:
 * - the state machine itself;
 * - the stores' SQL (CHECK constraints, the sweeper's query), which the contract tests hold to the
 *   table;
 * - the in-memory signalling pair, a stand-in for the server in engine tests and the bench; it lives
 *   in the call page's code, which imports nothing from @shared to stay small on old phones.
 */
const EXEMPT = [
  'shared/src/domain/',
  'bot/src/adapters/storage/',
  'tab/src/call/memory-signalling.ts',
];

// Which moves a live call (not terminal) allows is the table's to say: a use case, a route, a card or
// a button that compares the state with 'waiting' or 'admitted' keeps a second copy of the rules,
// which the table's tests do not see. Ask `callPhase`, `allowedActions`, `agentControls`,
// `checkTransition` or `awaitsJoin` instead. (A terminal state is an outcome, not a rule: showing
// why a call died may name it.)
describe('state literals outside the domain', () => {
  const live = CALL_STATES.filter((s) => !TERMINAL_STATES.includes(s));
  const literal = `'(?:${live.join('|')})'`;
  const comparison = new RegExp(
    `\\bstate\\s*[!=]==?\\s*${literal}|${literal}\\s*[!=]==?\\s*[\\w.]*\\bstate\\b`,
    'g',
  );

  it('no production code compares a call state with a live state by hand', () => {
    const found: string[] = [];
    for (const dir of ['shared/src', 'bot/src', 'tab/src']) {
      for (const file of sources(join(ROOT, dir))) {
        const path = relative(ROOT, file);
        if (EXEMPT.some((prefix) => path.startsWith(prefix))) continue;
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (line.match(comparison)) found.push(`${path}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(found).toEqual([]);
  });
});
