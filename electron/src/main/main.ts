/// <reference types="@electron-forge/plugin-vite/forge-vite-env" />
/**
 * Electron main process: the thin, Electron-specific wiring. Every decision (URL -> file, sender check,
 * validation, CSP, navigation and network policy, menu) is made by the plain modules next to this file,
 * which the vitest suites exercise without Electron. This file is type-checked only.
 */
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session } from 'electron';
import type { IpcMainInvokeEvent, MenuItemConstructorOptions, WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../ipc/contract.ts';
import type { EventName, EventPayload } from '../ipc/contract.ts';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, serveAppRequest } from './app-protocol.ts';
import { buildCsp, securityHeaders } from './csp.ts';
import { createHandlerTable, indexDicomWithProgress } from './handlers.ts';
import { createIpcInvoke } from './ipc-invoke.ts';
import { aboutText, buildMenuModel, licensesText, shortcutsText } from './menu-model.ts';
import type { MenuCommand, MenuItemModel } from './menu-model.ts';
import { isNavigationAllowed, isRequestAllowed, permissionDecision, windowOpenDecision } from './navigation-policy.ts';
import type { SenderDescriptor } from './sender-policy.ts';
import { mainWindowOptions } from './window-options.ts';

const APP_NAME = 'Remnant';

// Must run before `ready`: the app origin is a standard, secure scheme (fetch, workers, wasm streaming).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
app.enableSandbox();

const devServerUrl: string | undefined =
  !app.isPackaged && typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' && MAIN_WINDOW_VITE_DEV_SERVER_URL !== ''
    ? MAIN_WINDOW_VITE_DEV_SERVER_URL
    : undefined;
const isDev = devServerUrl !== undefined;
const originPolicy = devServerUrl ? { devServerOrigin: new URL(devServerUrl).origin } : {};
const rendererDir = path.join(import.meta.dirname, '..', 'renderer', MAIN_WINDOW_VITE_NAME);
const preloadPath = path.join(import.meta.dirname, 'preload.cjs');

const trustedWebContentsIds = new Set<number>();
let mainWindow: BrowserWindow | null = null;

function sendEvent<E extends EventName>(target: WebContents, event: E, payload: EventPayload<E>): void {
  if (!target.isDestroyed()) target.send(IPC_EVENT, event, payload);
}

const handlers = createHandlerTable({
  version: app.getVersion(),
  coreVersion: app.getVersion(),
  platform: process.platform,
  openFolder: async () => {
    const options = { title: 'Open folder', properties: ['openDirectory' as const] };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  indexDicom: indexDicomWithProgress,
});

const invoke = createIpcInvoke({
  table: handlers,
  policy: () => ({ trustedWebContentsIds, ...originPolicy }),
  onRefused: (reason, channel) => console.warn(`[ipc] refused ${String(channel)}: ${reason}`),
});

function describeSender(event: IpcMainInvokeEvent): SenderDescriptor {
  const frame = event.senderFrame;
  return { frameUrl: frame ? frame.url : null, isMainFrame: frame ? frame.parent === null : false, webContentsId: event.sender.id };
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  ses.on('will-download', (event) => event.preventDefault());
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isRequestAllowed(details.url, originPolicy);
    if (!allowed) console.warn(`[net] blocked ${details.url.slice(0, 200)}`);
    callback({ cancel: !allowed });
  });
  if (devServerUrl) {
    // The dev server does not send our CSP: add it (with the dev relaxations) to its responses.
    const csp = buildCsp(originPolicy);
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
  }
  const headers = securityHeaders();
  protocol.handle(APP_SCHEME, async (request) => {
    const file = await serveAppRequest(request.url, request.method, rendererDir, headers);
    const body = typeof file.body === 'string' ? file.body : new Blob([file.body as Uint8Array<ArrayBuffer>]);
    return new Response(request.method === 'HEAD' ? null : body, { status: file.status, headers: file.headers });
  });
}

function hardenWebContents(contents: WebContents): void {
  const refuseNavigation = (event: { url: string; preventDefault(): void }): void => {
    if (!isNavigationAllowed(event.url, originPolicy)) {
      event.preventDefault();
      console.warn(`[nav] blocked navigation to ${event.url.slice(0, 200)}`);
    }
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-frame-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.setWindowOpenHandler(({ url }) => windowOpenDecision(url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

async function runMenuCommand(command: MenuCommand, menus: MenuItemModel[]): Promise<void> {
  const window = mainWindow ?? undefined;
  const show = (title: string, detail: string): Promise<unknown> =>
    window ? dialog.showMessageBox(window, { type: 'info', title, message: title, detail }) : dialog.showMessageBox({ type: 'info', title, message: title, detail });
  switch (command) {
    case 'openFolder': {
      const picked = await handlers['dialog:openFolder']?.(undefined, { transport: 'ipc', emit: () => {} });
      if (picked?.path && mainWindow) sendEvent(mainWindow.webContents, 'folder:opened', { path: picked.path });
      return;
    }
    case 'about':
      await show(
        `About ${APP_NAME}`,
        aboutText({
          appName: APP_NAME,
          version: app.getVersion(),
          coreVersion: app.getVersion(),
          electron: process.versions.electron,
          chrome: process.versions.chrome,
          node: process.versions.node,
          platform: process.platform,
          arch: process.arch,
        }),
      );
      return;
    case 'shortcuts':
      await show('Keyboard shortcuts', shortcutsText(menus, process.platform));
      return;
    case 'licenses':
      await show('Licenses and attribution', licensesText());
      return;
  }
}

function toElectronMenu(items: MenuItemModel[], menus: MenuItemModel[]): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.separator) return { type: 'separator' };
    const command = item.command;
    return {
      ...(item.label !== undefined && { label: item.label }),
      ...(item.role !== undefined && { role: item.role as MenuItemConstructorOptions['role'] }),
      ...(item.accelerator !== undefined && { accelerator: item.accelerator }),
      ...(item.submenu && { submenu: toElectronMenu(item.submenu, menus) }),
      ...(command && { click: () => void runMenuCommand(command, menus).catch((error: unknown) => console.error(`[menu] ${command}:`, error)) }),
    };
  });
}

function createMainWindow(): void {
  const options = mainWindowOptions(preloadPath, isDev);
  const window = new BrowserWindow({
    ...options,
    webPreferences: {
      ...options.webPreferences,
      // Restated literally so static scanners (electronegativity) can see them; window-options.test.ts pins the same values.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  const id = window.webContents.id;
  trustedWebContentsIds.add(id);
  window.on('closed', () => {
    trustedWebContentsIds.delete(id);
    if (mainWindow === window) mainWindow = null;
  });
  window.once('ready-to-show', () => window.show());
  mainWindow = window;
  void window.loadURL(devServerUrl ?? APP_ENTRY_URL);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, payload: unknown) =>
    invoke(describeSender(event), (name, eventPayload) => sendEvent(event.sender, name, eventPayload), channel, payload),
  );
  void app.whenReady().then(() => {
    hardenSession();
    const menus = buildMenuModel({ platform: process.platform, isDev, appName: APP_NAME });
    Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronMenu(menus, menus)));
    createMainWindow();
  });
}
