import { describe, expect, it } from 'vitest';
import { commandForKey, shortcutDocs } from './shortcuts.ts';

const none = { ctrl: false, alt: false, meta: false };

describe('commandForKey', () => {
  it('maps number keys to window presets', () => {
    expect(commandForKey('2', none)).toEqual({ kind: 'preset', presetId: 'liver' });
  });
  it('opens help with ? and F1 and closes it with Escape', () => {
    expect(commandForKey('?', none)).toEqual({ kind: 'help', open: true });
    expect(commandForKey('F1', none)).toEqual({ kind: 'help', open: true });
    expect(commandForKey('Escape', none)).toEqual({ kind: 'help', open: false });
  });
  it('leaves modified keys (browser/OS shortcuts) alone', () => {
    expect(commandForKey('r', { ctrl: true, alt: false, meta: false })).toBeUndefined();
  });
  it('every documented single-letter key has a command', () => {
    for (const doc of shortcutDocs.filter((d) => /^[A-Z0-9]$/.test(d.keys))) {
      expect(commandForKey(doc.keys, none), doc.keys).toBeDefined();
    }
  });
});
