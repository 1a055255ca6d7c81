/**
 * Electron Forge: packaging for Linux (deb, zip), Windows (squirrel) and macOS (dmg, zip), the Vite build of
 * main / preload / renderer, and Electron fuses that switch off the ways of running the shipped binary as a
 * general-purpose Node or of loading code from outside the integrity-checked app.asar.
 * Type-checked here; it cannot be run on machines without the Electron binary.
 */
import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerDMG } from '@electron-forge/maker-dmg';
import { MakerSquirrel } from '@electron-forge/maker-squirrel';
import { MakerZIP } from '@electron-forge/maker-zip';
import { FusesPlugin } from '@electron-forge/plugin-fuses';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { FuseV1Options, FuseVersion } from '@electron/fuses';

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Remnant',
    executableName: 'remnant',
    appBundleId: 'org.remnant.volumetry',
    appCategoryType: 'public.app-category.medical',
    // app.asar is required by OnlyLoadAppFromAsar and by the embedded asar integrity check.
    asar: true,
    // The Vite plugin copies only .vite/ into the package; nothing else from the repository is shipped.
  },
  rebuildConfig: {},
  makers: [
    new MakerSquirrel({ name: 'remnant', setupExe: 'RemnantSetup.exe' }),
    new MakerZIP({}, ['darwin', 'linux']),
    new MakerDMG({ name: 'Remnant', format: 'ULFO' }),
    new MakerDeb({
      options: {
        name: 'remnant',
        productName: 'Remnant',
        genericName: 'Liver volumetry',
        section: 'science',
        categories: ['Science'],
        bin: 'remnant',
      },
    }),
  ],
  plugins: [
    new VitePlugin({
      build: [
        { entry: 'electron/src/main/main.ts', config: 'vite.main.config.ts', target: 'main' },
        { entry: 'electron/src/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
      ],
      renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
    }),
    new FusesPlugin({
      version: FuseVersion.V1,
      // No ELECTRON_RUN_AS_NODE: the signed binary cannot be used as a plain Node interpreter.
      [FuseV1Options.RunAsNode]: false,
      // No NODE_OPTIONS / --inspect: no code injection or debugger attach through the environment or argv.
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      // Only the integrity-checked app.asar is loaded.
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      // Cookies and other OS-keychain-protected storage are encrypted at rest.
      [FuseV1Options.EnableCookieEncryption]: true,
      // file:// gets no extra privileges (we use remnant:// for the renderer).
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
      // Main-process V8 snapshot only from the browser-process snapshot file (no renderer snapshot reuse).
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    }),
  ],
};

export default config;
