/**
 * How the tests and benches start the system chromium headless (for playwright-core's launchPersistentContext): the
 * executable and the flags every launch uses (no sandbox or GPU in CI containers, no QUIC, no first-run, background
 * networking, component updates or sync, so a test sees only the requests the page makes). Node-side test support,
 * shared by tests/e2e/support/chromium.ts and wasm/src/pipelines/browser-test (wasm/ may not import tests/).
 */

export const HEADLESS_CHROMIUM_EXECUTABLE = '/usr/bin/chromium';

const BASE_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The common flags followed by the caller's. */
export function headlessChromiumArgs(extra: readonly string[] = []): string[] {
  return [...BASE_ARGS, ...extra];
}
