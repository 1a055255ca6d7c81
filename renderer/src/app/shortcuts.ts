/**
 * Keyboard shortcuts, following common PACS/workstation viewers (OHIF, Horos/OsiriX, 3D Slicer conventions where
 * they agree). Pure: maps a key event to a command; App.tsx performs it.
 */
import type { PresetId } from '../viewer/presets.ts';

export type Command =
  | { kind: 'preset'; presetId: PresetId }
  | { kind: 'tool'; tool: 'crosshairs' | 'windowLevel' | 'pan' | 'zoom' }
  | { kind: 'scroll'; delta: number }
  | { kind: 'reset' }
  | { kind: 'toggle3d' }
  | { kind: 'help'; open?: boolean };

export interface ShortcutDoc {
  keys: string;
  action: string;
}

export const shortcutDocs: readonly ShortcutDoc[] = [
  { keys: 'Mouse wheel', action: 'Scroll slices' },
  { keys: '↑ / ↓, Page Up / Page Down', action: 'Previous / next slice (Page: 10 slices) in the last-used view' },
  { keys: 'Left drag', action: 'Active tool (crosshairs by default)' },
  { keys: 'Right drag', action: 'Zoom' },
  { keys: 'Middle drag', action: 'Pan' },
  { keys: 'C', action: 'Crosshairs (with reference lines)' },
  { keys: 'W', action: 'Window / level on left drag' },
  { keys: 'P', action: 'Pan on left drag' },
  { keys: 'Z', action: 'Zoom on left drag' },
  { keys: '1', action: 'Abdomen window W400 / L40' },
  { keys: '2', action: 'Liver window W150 / L90' },
  { keys: '3', action: 'Bone window W2000 / L500' },
  { keys: '4', action: 'Automatic window (1st–99th percentile; default for MR)' },
  { keys: 'R', action: 'Reset views' },
  { keys: 'V', action: 'Show / hide the 3D volume view' },
  { keys: '? or F1', action: 'Show this help' },
  { keys: 'Esc', action: 'Close help' },
];

export function commandForKey(key: string, modifiers: { ctrl: boolean; alt: boolean; meta: boolean }): Command | undefined {
  if (modifiers.ctrl || modifiers.alt || modifiers.meta) return undefined;
  switch (key) {
    case '1':
      return { kind: 'preset', presetId: 'abdomen' };
    case '2':
      return { kind: 'preset', presetId: 'liver' };
    case '3':
      return { kind: 'preset', presetId: 'bone' };
    case '4':
      return { kind: 'preset', presetId: 'auto' };
    case 'c':
    case 'C':
      return { kind: 'tool', tool: 'crosshairs' };
    case 'w':
    case 'W':
      return { kind: 'tool', tool: 'windowLevel' };
    case 'p':
    case 'P':
      return { kind: 'tool', tool: 'pan' };
    case 'z':
    case 'Z':
      return { kind: 'tool', tool: 'zoom' };
    case 'ArrowUp':
      return { kind: 'scroll', delta: -1 };
    case 'ArrowDown':
      return { kind: 'scroll', delta: 1 };
    case 'PageUp':
      return { kind: 'scroll', delta: -10 };
    case 'PageDown':
      return { kind: 'scroll', delta: 10 };
    case 'r':
    case 'R':
      return { kind: 'reset' };
    case 'v':
    case 'V':
      return { kind: 'toggle3d' };
    case '?':
    case 'F1':
      return { kind: 'help', open: true };
    case 'Escape':
      return { kind: 'help', open: false };
    default:
      return undefined;
  }
}
