/** Pure helpers of the tools panel: stroke sampling, the constraint notice, undo/redo keys, the history line. */
import type { Vec3 } from '../../../wasm/src/geometry/types.ts';
import type { ConstraintReport } from '../../../wasm/src/segmentation/constraints.ts';

/** Points along a polyline no more than stepMm apart (a drag's mouse events can be far apart): the dabs of a stroke. */
export function densifyStroke(pointsLPS: Vec3[], stepMm: number): Vec3[] {
  if (!(stepMm > 0)) throw new Error(`stroke step must be positive, got ${stepMm}`);
  const out: Vec3[] = [];
  for (let n = 0; n < pointsLPS.length; n++) {
    const b = pointsLPS[n] as Vec3;
    if (n === 0) {
      out.push(b);
      continue;
    }
    const a = pointsLPS[n - 1] as Vec3;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
    const steps = Math.max(1, Math.ceil(len / stepMm));
    if (len === 0) continue;
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])]);
    }
  }
  return out;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** What the constraint rule did that the user must see (FLR clipped to the liver, tumours kept out, locks...). */
export function constraintNotice(report: ConstraintReport | null): string {
  if (!report) return '';
  const parts: string[] = [];
  if (report.clippedOutsideLiver > 0) parts.push(`FLR clipped to the liver: ${plural(report.clippedOutsideLiver, 'voxel', 'voxels')} outside the liver not painted`);
  if (report.clippedTumour > 0) parts.push(`${plural(report.clippedTumour, 'tumour voxel', 'tumour voxels')} kept out of the FLR`);
  if (report.addedToLiver > 0) parts.push(`${plural(report.addedToLiver, 'voxel', 'voxels')} joined the liver with the tumour`);
  if (report.removedFromFlr > 0) parts.push(`${plural(report.removedFromFlr, 'voxel', 'voxels')} left the FLR (tumours are not FLR)`);
  if (report.blockedOtherTumour > 0) parts.push(`${plural(report.blockedOtherTumour, 'voxel', 'voxels')} of another tumour not taken`);
  if (report.keptTumour > 0) parts.push(`${plural(report.keptTumour, 'tumour voxel', 'tumour voxels')} kept (erase the tumour first)`);
  if (report.blockedLocked > 0) parts.push(`${plural(report.blockedLocked, 'voxel', 'voxels')} of locked segments unchanged`);
  return parts.join('; ');
}

export type EditKeyCommand = 'undo' | 'redo';

/** Ctrl+Z undo; Ctrl+Shift+Z or Ctrl+Y redo (Cmd on macOS). */
export function editCommandForKey(key: string, modifiers: { ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }): EditKeyCommand | undefined {
  if (!(modifiers.ctrl || modifiers.meta) || modifiers.alt) return undefined;
  const k = key.toLowerCase();
  if (k === 'z') return modifiers.shift ? 'redo' : 'undo';
  if (k === 'y' && !modifiers.shift) return 'redo';
  return undefined;
}

/** Human name of a segment key for the history and notices. */
export function segmentLabel(key: string, names: ReadonlyMap<string, string>): string {
  return key
    .split('+')
    .map((k) => names.get(k) ?? k)
    .join(' + ');
}
