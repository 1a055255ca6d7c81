/**
 * BrowserWindow options: the hardened webPreferences live here, as data, so a test pins every flag.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export function secureWebPreferences(preloadPath: string, isDev: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    // Middle-click would otherwise try to open links in new windows (denied anyway by setWindowOpenHandler).
    disableBlinkFeatures: 'Auxclick',
    safeDialogs: true,
    // Spell-checking can download dictionaries from a Google CDN on Linux/Windows: off for patient data.
    spellcheck: false,
    autoplayPolicy: 'user-gesture-required',
    devTools: isDev,
  };
}

export function mainWindowOptions(preloadPath: string, isDev: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#111418',
    title: 'Remnant',
    webPreferences: secureWebPreferences(preloadPath, isDev),
  };
}
