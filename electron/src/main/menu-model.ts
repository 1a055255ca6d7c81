/**
 * The application menu as plain data (main.ts turns it into an Electron Menu) and the texts of the Help dialogs.
 */

export type MenuCommand = 'openFolder' | 'about' | 'shortcuts' | 'licenses';

export interface MenuItemModel {
  label?: string;
  /** An Electron built-in role (quit, zoomIn, ...). */
  role?: string;
  command?: MenuCommand;
  accelerator?: string;
  separator?: true;
  submenu?: MenuItemModel[];
}

export interface MenuOptions {
  platform: string;
  /** Development build: adds reload and developer tools. */
  isDev: boolean;
  appName: string;
}

export function buildMenuModel(options: MenuOptions): MenuItemModel[] {
  const mac = options.platform === 'darwin';
  const menus: MenuItemModel[] = [];
  if (mac) {
    menus.push({
      label: options.appName,
      submenu: [
        { label: `About ${options.appName}`, command: 'about' },
        { separator: true },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { separator: true },
        { role: 'quit', label: `Quit ${options.appName}`, accelerator: 'Cmd+Q' },
      ],
    });
  }
  menus.push({
    label: '&File',
    submenu: [
      { label: 'Open folder…', command: 'openFolder', accelerator: 'CmdOrCtrl+O' },
      ...(mac ? [] : [{ separator: true } as const, { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' }]),
    ],
  });
  menus.push({
    label: '&View',
    submenu: [
      ...(options.isDev ? [{ role: 'reload' }, { role: 'toggleDevTools' }, { separator: true } as const] : []),
      { role: 'resetZoom', label: 'Actual size', accelerator: 'CmdOrCtrl+0' },
      { role: 'zoomIn', label: 'Zoom in', accelerator: 'CmdOrCtrl+=' },
      { role: 'zoomOut', label: 'Zoom out', accelerator: 'CmdOrCtrl+-' },
      { separator: true },
      { role: 'togglefullscreen', label: 'Full screen', accelerator: mac ? 'Ctrl+Cmd+F' : 'F11' },
    ],
  });
  menus.push({
    label: '&Help',
    submenu: [
      ...(mac ? [] : [{ label: `About ${options.appName}`, command: 'about' as const }]),
      { label: 'Keyboard shortcuts', command: 'shortcuts', accelerator: 'CmdOrCtrl+/' },
      { label: 'Licenses and attribution', command: 'licenses' },
    ],
  });
  return menus;
}

function itemName(item: MenuItemModel): string {
  return (item.label ?? item.role ?? '').replace(/&/g, '');
}

/** Every item with an accelerator, as "Menu > Item", in menu order. */
export function listShortcuts(menus: MenuItemModel[]): { path: string; accelerator: string }[] {
  const out: { path: string; accelerator: string }[] = [];
  const walk = (items: MenuItemModel[], prefix: string): void => {
    for (const item of items) {
      const name = itemName(item);
      if (item.accelerator) out.push({ path: `${prefix}${name}`, accelerator: item.accelerator });
      if (item.submenu) walk(item.submenu, `${prefix}${name} > `);
    }
  };
  walk(menus, '');
  return out;
}

export function shortcutsText(menus: MenuItemModel[], platform: string): string {
  const key = platform === 'darwin' ? 'Cmd' : 'Ctrl';
  return listShortcuts(menus)
    .map(({ path, accelerator }) => `${accelerator.replace('CmdOrCtrl', key).padEnd(14)} ${path}`)
    .join('\n');
}

export interface AboutInfo {
  appName: string;
  version: string;
  coreVersion: string;
  electron: string;
  chrome: string;
  node: string;
  platform: string;
  arch: string;
}

export function aboutText(info: AboutInfo): string {
  return [
    `${info.appName} ${info.version}`,
    `Volumetry core ${info.coreVersion}`,
    `Electron ${info.electron}, Chromium ${info.chrome}, Node ${info.node}`,
    `${info.platform} ${info.arch}`,
    '',
    'Research software for central liver volumetry. Not a medical device.',
  ].join('\n');
}

/** Third-party software shipped in the application (runtime dependencies), with their licenses. */
export const ATTRIBUTIONS: readonly { name: string; license: string; url: string }[] = [
  { name: 'electron', license: 'MIT', url: 'https://github.com/electron/electron' },
  { name: '@cornerstonejs/core', license: 'MIT', url: 'https://github.com/cornerstonejs/cornerstone3D' },
  { name: '@cornerstonejs/dicom-image-loader', license: 'MIT', url: 'https://github.com/cornerstonejs/cornerstone3D' },
  { name: '@cornerstonejs/tools', license: 'MIT', url: 'https://github.com/cornerstonejs/cornerstone3D' },
  { name: 'itk-wasm', license: 'Apache-2.0', url: 'https://github.com/InsightSoftwareConsortium/ITK-Wasm' },
  { name: '@itk-wasm/dicom', license: 'Apache-2.0', url: 'https://github.com/InsightSoftwareConsortium/ITK-Wasm' },
  { name: '@itk-wasm/image-io', license: 'Apache-2.0', url: 'https://github.com/InsightSoftwareConsortium/ITK-Wasm' },
  { name: '@itk-wasm/morphological-contour-interpolation', license: 'Apache-2.0', url: 'https://github.com/InsightSoftwareConsortium/ITK-Wasm' },
  { name: 'dicom-parser', license: 'MIT', url: 'https://github.com/cornerstonejs/dicomParser' },
  { name: 'fflate', license: 'MIT', url: 'https://github.com/101arrowz/fflate' },
  { name: 'node-forge', license: '(BSD-3-Clause OR GPL-2.0)', url: 'https://github.com/digitalbazaar/forge' },
  { name: 'pdf-lib', license: 'MIT', url: 'https://github.com/Hopding/pdf-lib' },
  { name: 'react', license: 'MIT', url: 'https://github.com/facebook/react' },
  { name: 'react-dom', license: 'MIT', url: 'https://github.com/facebook/react' },
  { name: 'zustand', license: 'MIT', url: 'https://github.com/pmndrs/zustand' },
];

export function licensesText(attributions: readonly { name: string; license: string; url: string }[] = ATTRIBUTIONS): string {
  return [
    'Remnant is built on the following open-source software:',
    '',
    ...attributions.map((a) => `${a.name} — ${a.license} — ${a.url}`),
    '',
    'Electron and Chromium license texts ship beside the executable (LICENSE, LICENSES.chromium.html).',
  ].join('\n');
}
