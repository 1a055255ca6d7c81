/** Headless Debian chromium via playwright-core, fresh profile, no background networking. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { HEADLESS_CHROMIUM_EXECUTABLE, headlessChromiumArgs } from '../../../wasm/src/node/headless-chromium.ts';

export async function launchChromium(viewport = { width: 1400, height: 1000 }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-chromium-'));
  // playwright passes the profile as --user-data-dir itself (a fresh temporary folder per launch).
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: HEADLESS_CHROMIUM_EXECUTABLE,
    headless: true,
    viewport,
    args: headlessChromiumArgs(['--enable-unsafe-swiftshader']),
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
