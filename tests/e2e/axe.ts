import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The WCAG 2.2 A/AA rule sets every e2e view is held to. */
export const WCAG_22_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core's id of WCAG 2.5.3 Label in Name (an experimental rule, off unless enabled). */
export const LABEL_IN_NAME = 'label-content-name-mismatch';

/** Resolves once every finite animation and transition has finished (runs in the page: no DOM types here). */
const SETTLE_ANIMATIONS = `Promise.all(document.getAnimations()
  .filter((a) => Number.isFinite(Number(a.effect && a.effect.getComputedTiming().endTime)))
  .map((a) => a.finished.then(() => undefined, () => undefined)))`;

/**
 * Runs axe on the page with the WCAG 2.2 A/AA rules plus label-in-name (WCAG 2.5.3), and returns
 * every serious or critical violation as one readable line each (empty when clean).
 *
 * axe-core calls label-in-name `label-content-name-mismatch` and tags it experimental, so a tag
 * filter alone never runs it; it is switched on by id here, and the run fails loudly if axe did
 * not evaluate it, so the gate cannot silently go hollow after an axe upgrade.
 */
export async function seriousA11yIssues(page: Page, where: string): Promise<string[]> {
  // axe reads colours as painted: a dialog still fading in measures as low contrast. Let every
  // finite animation and transition (Fluent's motion, CSS) settle first; endless ones (spinners) stay.
  await page.evaluate(SETTLE_ANIMATIONS);
  const results = await new AxeBuilder({ page })
    .options({ rules: { [LABEL_IN_NAME]: { enabled: true } } })
    .withTags(WCAG_22_AA_TAGS)
    // Fluent's focus trap (tabster) inserts focusable, aria-hidden `<i data-tabster-dummy>`
    // sentinels that redirect focus back into dialogs and lists; by design they have no name and
    // are hidden from screen readers, a known false positive of aria-hidden-focus
    // (microsoft/tabster#288, microsoft/fluentui#25133). Nothing else is excluded.
    .exclude('[data-tabster-dummy]')
    .analyze();
  const ran = [
    ...results.passes,
    ...results.violations,
    ...results.incomplete,
    ...results.inapplicable,
  ];
  if (!ran.some((rule) => rule.id === LABEL_IN_NAME)) {
    throw new Error(`${where}: axe did not run label-in-name (WCAG 2.5.3)`);
  }
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
    );
}

/** Fails the test with the list of serious or critical axe findings on the page, if any. */
export async function expectNoSeriousA11yIssues(page: Page, where: string): Promise<void> {
  expect(await seriousA11yIssues(page, where)).toEqual([]);
}
