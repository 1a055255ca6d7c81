/** Deterministic edit commands shared by the crash-test child process and the test that checks it. */
import type { ImageGeometry } from '../../../../wasm/src/geometry/types.ts';
import type { SegmentRef } from '../../../../wasm/src/segmentation/constraints.ts';
import type { SegmentationSession } from '../../../../wasm/src/segmentation/session.ts';

export const CRASH_TEST_GEOMETRY: ImageGeometry = { sizeIJK: [48, 48, 24], spacingMm: [1.5, 1.5, 3], originLPS: [-36, -36, -36], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };

export type CrashCommand = { n: number; kind: 'brush'; segment: SegmentRef; op: 'paint' | 'erase'; centreLPS: [number, number, number]; radiusMm: number } | { n: number; kind: 'undo' } | { n: number; kind: 'redo' };

export function crashCommand(n: number): CrashCommand {
  if (n % 9 === 8) return { n, kind: 'undo' };
  if (n % 23 === 22) return { n, kind: 'redo' };
  const segments: SegmentRef[] = [{ role: 'liver' }, { role: 'liver' }, { role: 'tumour', tumourIndex: n % 3 }, { role: 'flr' }];
  const segment = segments[n % 4] as SegmentRef;
  const centreLPS: [number, number, number] = [-30 + ((n * 7) % 60), -30 + ((n * 13) % 60), -30 + ((n * 5) % 60)];
  return { n, kind: 'brush', segment, op: n % 11 === 10 ? 'erase' : 'paint', centreLPS, radiusMm: 4 + (n % 5) * 2 };
}

export function runCrashCommand(session: SegmentationSession, cmd: CrashCommand): void {
  if (cmd.kind === 'undo') session.undo();
  else if (cmd.kind === 'redo') session.redo();
  else session.brush({ segment: cmd.segment, op: cmd.op, shape: 'sphere', radiusMm: cmd.radiusMm, pointsLPS: [cmd.centreLPS] });
}
