/**
 * Orientation markers from a camera, in DICOM LPS patient coordinates (+x Left, +y Posterior, +z Superior).
 * Cornerstone cameras give viewUp (screen up) and viewPlaneNormal (from the focal point towards the camera);
 * screen right = viewUp x viewPlaneNormal (e.g. axial: viewUp [0,-1,0], normal [0,0,-1] -> right = [1,0,0] = patient Left).
 */
import type { Vec3 } from '../../../wasm/src/geometry/types.ts';

export interface OrientationMarkers {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

const positiveLetters = ['L', 'P', 'S'] as const;
const negativeLetters = ['R', 'A', 'I'] as const;

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/**
 * Letters for a direction in LPS, strongest component first; components below `minComponent` of the unit vector
 * are dropped (an oblique axis gives e.g. "LA"). Returns '' for a zero vector.
 */
export function directionLettersLPS(directionLPS: Vec3, minComponent = 0.25): string {
  const norm = Math.hypot(directionLPS[0], directionLPS[1], directionLPS[2]);
  if (norm === 0 || !Number.isFinite(norm)) return '';
  const parts = [0, 1, 2]
    .map((axis) => ({ axis, value: directionLPS[axis] / norm }))
    .filter((p) => Math.abs(p.value) >= minComponent)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
  return parts.map((p) => (p.value > 0 ? positiveLetters[p.axis] : negativeLetters[p.axis])).join('');
}

function negate(v: Vec3): Vec3 {
  return [-v[0], -v[1], -v[2]];
}

/** The four edge letters of a viewport whose camera has this viewUp and viewPlaneNormal (both LPS). */
export function orientationMarkers(viewUpLPS: Vec3, viewPlaneNormalLPS: Vec3): OrientationMarkers {
  const rightLPS = cross(viewUpLPS, viewPlaneNormalLPS);
  return {
    top: directionLettersLPS(viewUpLPS),
    bottom: directionLettersLPS(negate(viewUpLPS)),
    right: directionLettersLPS(rightLPS),
    left: directionLettersLPS(negate(rightLPS)),
  };
}
