/**
 * Case-workspace steps shared by the end-to-end suites. Each click triggers an asynchronous call to the workspace
 * service; the next step waits for the previous one's result on screen, so a loaded machine cannot reorder them
 * (e.g. add a timepoint to the previous case, or bind before the timepoint exists).
 */
import type { Page } from 'playwright-core';

const STEP_TIMEOUT_MS = 60_000;

/** Creates a case for `subject`, adds a timepoint (with `scanDate` YYYY-MM-DD if given) and binds it to the loaded series. */
export async function createCaseWithBoundTimepoint(page: Page, subject: string, scanDate?: string): Promise<void> {
  await page.fill('[data-testid=case-subject]', subject);
  await page.click('[data-testid=case-create]');
  await page.waitForFunction(
    (s) => (document.querySelector('[data-testid=case-select]') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent?.trim() === s,
    subject,
    { timeout: STEP_TIMEOUT_MS },
  );
  if (scanDate !== undefined) await page.fill('[data-testid=tp-date]', scanDate);
  await page.click('[data-testid=tp-add]');
  await page.waitForFunction(() => document.querySelector('[data-testid=tp-binding]')?.textContent?.includes('Not bound') === true, undefined, { timeout: STEP_TIMEOUT_MS });
  await page.click('[data-testid=tp-bind]');
  await page.waitForFunction(() => document.querySelector('[data-testid=tp-binding]')?.textContent?.startsWith('Series ') === true, undefined, { timeout: STEP_TIMEOUT_MS });
}
