import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTIONS, aboutText, buildMenuModel, licensesText, listShortcuts, shortcutsText } from './menu-model.ts';
import type { MenuItemModel } from './menu-model.ts';

const repo = path.resolve(import.meta.dirname, '../../..');
const labels = (items: MenuItemModel[] | undefined) => (items ?? []).filter((i) => !i.separator).map((i) => (i.label ?? i.role ?? '').replace(/&/g, ''));

describe('application menu', () => {
  it('Windows/Linux: File (Open folder…, Quit), View, Help (About, shortcuts, licenses)', () => {
    const menus = buildMenuModel({ platform: 'linux', isDev: false, appName: 'Remnant' });
    expect(labels(menus)).toEqual(['File', 'View', 'Help']);
    expect(labels(menus[0]!.submenu)).toEqual(['Open folder…', 'Quit']);
    expect(labels(menus[2]!.submenu)).toEqual(['About Remnant', 'Keyboard shortcuts', 'Licenses and attribution']);
    expect(labels(menus[1]!.submenu)).not.toContain('toggleDevTools');
  });

  it('macOS puts About and Quit in the app menu; dev builds add reload and devtools', () => {
    const menus = buildMenuModel({ platform: 'darwin', isDev: true, appName: 'Remnant' });
    expect(labels(menus)).toEqual(['Remnant', 'File', 'View', 'Help']);
    expect(labels(menus[0]!.submenu)).toContain('Quit Remnant');
    expect(labels(menus[1]!.submenu)).toEqual(['Open folder…']);
    expect(labels(menus[2]!.submenu)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('shortcut list is derived from the menu, with no duplicate accelerators', () => {
    const menus = buildMenuModel({ platform: 'linux', isDev: false, appName: 'Remnant' });
    const shortcuts = listShortcuts(menus);
    expect(shortcuts).toContainEqual({ path: 'File > Open folder…', accelerator: 'CmdOrCtrl+O' });
    expect(new Set(shortcuts.map((s) => s.accelerator)).size).toBe(shortcuts.length);
    expect(shortcutsText(menus, 'linux')).toMatch(/^Ctrl\+O\s+File > Open folder…$/m);
    expect(shortcutsText(buildMenuModel({ platform: 'darwin', isDev: false, appName: 'Remnant' }), 'darwin')).toMatch(/^Cmd\+O\s+File > Open folder…$/m);
  });

  it('about text carries every version', () => {
    const text = aboutText({ appName: 'Remnant', version: '0.1.0', coreVersion: '0.1.0', electron: '45.5.0', chrome: '140', node: '22', platform: 'linux', arch: 'x64' });
    expect(text).toContain('Remnant 0.1.0');
    expect(text).toContain('Electron 45.5.0');
    expect(text).toContain('linux x64');
  });

  it('attributions cover every runtime dependency with the license its package declares', () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const listed = new Map(ATTRIBUTIONS.map((a) => [a.name, a.license]));
    for (const name of [...Object.keys(pkg.dependencies), 'electron']) {
      const declared = (JSON.parse(readFileSync(path.join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { license: string }).license;
      expect(listed.get(name), name).toBe(declared);
    }
    expect(licensesText()).toContain('itk-wasm — Apache-2.0');
  });
});
