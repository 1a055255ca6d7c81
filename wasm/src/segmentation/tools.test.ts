import { describe, expect, it } from 'vitest';
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';
import { generatePhantom, phantomScalarVolume } from '../../../fixtures/src/phantom/index.ts';
import { lockTable } from './constraints.ts';
import { ijkToLps } from './grid-math.ts';
import { brushStroke, cutFlrByPlane, scissors } from './tools.ts';
import type { EditTarget } from './tools.ts';

const none = lockTable([]);

/** 1.0 x 0.5 x 2.5 mm, rotated about z by 30 degrees, and k sheared (gantry-tilt-like: k step has a y component). */
function shearedGeometry(): ImageGeometry {
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  const kDir = [0, Math.sin(0.3), Math.cos(0.3)];
  return {
    sizeIJK: [40, 50, 16],
    spacingMm: [1, 0.5, 2.5],
    originLPS: [-20, -10, -18],
    directionLPS: [c, -s, kDir[0] as number, s, c, kDir[1] as number, 0, 0, kDir[2] as number],
  };
}

function emptyTarget(geometry: ImageGeometry, image: ScalarVolume | null = null): EditTarget {
  const [nx, ny, nz] = geometry.sizeIJK;
  return { labelmap: new Uint8Array(nx * ny * nz), geometry, image, lockedLabels: none };
}

/** Brute force over all voxels: physical distance from voxel centre (via ijkToLps) to the point. */
function bruteForce(geometry: ImageGeometry, keep: (pLPS: Vec3, ijk: Vec3) => boolean): Set<number> {
  const [nx, ny, nz] = geometry.sizeIJK;
  const out = new Set<number>();
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) if (keep(ijkToLps(geometry, [i, j, k]), [i, j, k])) out.add(i + nx * (j + ny * k));
  return out;
}

const dist = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('brush shapes in physical units', () => {
  it('sphere brush paints exactly the voxels within radiusMm on a sheared, anisotropic grid', () => {
    const g = shearedGeometry();
    const t = emptyTarget(g);
    const centre = ijkToLps(g, [20.3, 24.6, 7.4]);
    const diff = brushStroke(t, { segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 6.2, pointsLPS: [centre] });
    const expected = bruteForce(g, (p) => dist(p, centre) <= 6.2);
    expect(expected.size).toBeGreaterThan(200);
    expect(diff.voxelsChanged).toBe(expected.size);
    for (const idx of diff.indices) expect(expected.has(idx)).toBe(true);
    expect(diff.tool).toBe('brush');
  });

  it('circle brush paints one slice: in-plane distance <= radius on the index slice across the view normal', () => {
    const g = shearedGeometry();
    const t = emptyTarget(g);
    const centre = ijkToLps(g, [18, 22, 9]);
    const normal: Vec3 = [0, 0, 1]; // axial view: slices are k
    const diff = brushStroke(t, { segment: { role: 'tumour', tumourIndex: 0 }, op: 'paint', shape: 'circle', radiusMm: 5.1, pointsLPS: [centre], viewNormalLPS: normal });
    const expected = bruteForce(g, (p, ijk) => ijk[2] === 9 && dist(p, centre) <= 5.1);
    expect(diff.voxelsChanged).toBe(expected.size);
    expect(expected.size).toBeGreaterThan(100);
    for (const idx of diff.indices) expect(expected.has(idx)).toBe(true);
    // Tumour painted on background joins the liver: counted.
    expect(diff.report.addedToLiver).toBe(expected.size);
  });

  it('a stroke is one edit; the eraser removes only its own segment', () => {
    const g: ImageGeometry = { sizeIJK: [30, 30, 10], spacingMm: [1, 1, 3], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const t = emptyTarget(g);
    const pts: Vec3[] = [
      [10, 15, 15],
      [14, 15, 15],
      [18, 15, 15],
    ];
    const painted = brushStroke(t, { segment: { role: 'liver' }, op: 'paint', shape: 'circle', radiusMm: 3, pointsLPS: pts, viewNormalLPS: [0, 0, 1] });
    const union = bruteForce(g, (p, ijk) => ijk[2] === 5 && pts.some((c) => dist(p, c) <= 3));
    expect(painted.voxelsChanged).toBe(union.size);
    for (let c = 1; c < painted.indices.length; c++) expect(painted.indices[c]).toBeGreaterThan(painted.indices[c - 1] as number);
    brushStroke(t, { segment: { role: 'tumour', tumourIndex: 0 }, op: 'paint', shape: 'circle', radiusMm: 2, pointsLPS: [[14, 15, 15]], viewNormalLPS: [0, 0, 1] });
    const erased = brushStroke(t, { segment: { role: 'liver' }, op: 'erase', shape: 'sphere', radiusMm: 10, pointsLPS: [[14, 15, 15]] });
    expect(erased.tool).toBe('eraser');
    expect(erased.report.keptTumour).toBeGreaterThan(0);
    expect(t.labelmap.filter((l) => l === 1).length).toBe(0);
    expect(t.labelmap.filter((l) => l === 10).length).toBe(erased.report.keptTumour);
  });
});

describe('threshold brush', () => {
  it('paints only voxels whose HU lies in [huMin, huMax] inside the brush', () => {
    const phantom = generatePhantom({ rows: 48, columns: 48, pixelSpacingMm: [8, 8], sliceCount: 30, sliceSpacingMm: 8, noiseSd: 15 });
    const image = phantomScalarVolume(phantom);
    const t = emptyTarget(image.geometry, image);
    const liverCentre = phantom.anatomy.liver.centreLPS;
    const diff = brushStroke(t, { segment: { role: 'liver' }, op: 'paint', shape: 'sphere', radiusMm: 60, pointsLPS: [liverCentre], huRange: [80, 200] });
    expect(diff.tool).toBe('threshold-brush');
    const hu = (idx: number): number => (image.pixels[idx] as number) * image.rescaleSlope + image.rescaleIntercept;
    const expected = bruteForce(image.geometry, (p, ijk) => {
      const idx = ijk[0] + 48 * (ijk[1] + 48 * ijk[2]);
      return dist(p, liverCentre) <= 60 && hu(idx) >= 80 && hu(idx) <= 200;
    });
    expect(diff.voxelsChanged).toBe(expected.size);
    for (const idx of diff.indices) expect(hu(idx)).toBeGreaterThanOrEqual(80);
    // Mostly liver: tumours (40 HU) and body (40 HU) are excluded by the window.
    let liverTruth = 0;
    for (const idx of diff.indices) if (phantom.labels[idx] === 1 || phantom.labels[idx] === 2) liverTruth++;
    expect(liverTruth / diff.voxelsChanged).toBeGreaterThan(0.99);
  });
});

describe('scissors', () => {
  it('rectangle drawn in an axial view is extruded along the normal through every slice', () => {
    const g = shearedGeometry();
    const t = emptyTarget(g);
    const a: Vec3 = [-8, -4, 0];
    const b: Vec3 = [6, 9, 0];
    const diff = scissors(t, { segment: { role: 'liver' }, mode: 'fill', shape: { kind: 'rectangle', cornerALPS: a, cornerBLPS: b, view: { normalLPS: [0, 0, 1], rightLPS: [1, 0, 0] } } });
    const expected = bruteForce(g, (p) => p[0] >= -8 && p[0] <= 6 && p[1] >= -4 && p[1] <= 9);
    expect(diff.voxelsChanged).toBe(expected.size);
    for (const idx of diff.indices) expect(expected.has(idx)).toBe(true);
  });

  it('circle extruded along an oblique normal, and erase outside a sphere', () => {
    const g = shearedGeometry();
    const t = emptyTarget(g);
    const n: Vec3 = [0.3, 0.2, 0.93];
    const nn = Math.hypot(...n);
    const c: Vec3 = [1, 2, 0];
    const diff = scissors(t, { segment: { role: 'liver' }, mode: 'fill', shape: { kind: 'circle', centreLPS: c, radiusMm: 7, view: { normalLPS: n } } });
    const expected = bruteForce(g, (p) => {
      const d: Vec3 = [p[0] - c[0], p[1] - c[1], p[2] - c[2]];
      const along = (d[0] * n[0] + d[1] * n[1] + d[2] * n[2]) / nn;
      return Math.hypot(d[0] - (along * n[0]) / nn, d[1] - (along * n[1]) / nn, d[2] - (along * n[2]) / nn) <= 7;
    });
    expect(diff.voxelsChanged).toBe(expected.size);
    const sphereCentre: Vec3 = [1, 2, 0];
    const kept = bruteForce(g, (p) => expected.has(-1) || dist(p, sphereCentre) <= 5);
    scissors(t, { segment: { role: 'liver' }, mode: 'erase', region: 'outside', shape: { kind: 'sphere', centreLPS: sphereCentre, radiusMm: 5 } });
    for (let v = 0; v < t.labelmap.length; v++) if (t.labelmap[v] === 1) expect(kept.has(v) && expected.has(v)).toBe(true);
  });
});

describe('FLR by a cut plane', () => {
  it('reproduces the phantom FLR exactly from three points on its plane (tumours untouched, locks respected)', () => {
    const phantom = generatePhantom({ rows: 48, columns: 48, pixelSpacingMm: [8, 8], sliceCount: 30, sliceSpacingMm: 8, noiseSd: 0, obliqueRotationDeg: [10, -5, 20] });
    const image = phantomScalarVolume(phantom);
    // Start from the truth with the FLR folded back into label 1.
    const lab = phantom.labels.map((l) => (l === 2 ? 1 : l));
    const t: EditTarget = { labelmap: lab, geometry: image.geometry, image, lockedLabels: none };
    const { pointLPS: p0, normalLPS: n } = phantom.anatomy.flrPlane;
    // Two in-plane directions.
    const u: Vec3 = [n[1], -n[0], 0];
    const w: Vec3 = [n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2], n[0] * u[1] - n[1] * u[0]];
    const pts: [Vec3, Vec3, Vec3] = [p0, [p0[0] + 10 * u[0], p0[1] + 10 * u[1], p0[2] + 10 * u[2]], [p0[0] + 10 * w[0], p0[1] + 10 * w[1], p0[2] + 10 * w[2]]];
    const side: Vec3 = [p0[0] + 20 * n[0], p0[1] + 20 * n[1], p0[2] + 20 * n[2]];
    const diff = cutFlrByPlane(t, { plane: { kind: 'three-points', pointsLPS: pts }, flrSidePointLPS: side });
    expect(diff.voxelsChanged).toBe(phantom.truth.voxelCounts[2]);
    expect(Array.from(lab)).toEqual(Array.from(phantom.labels));
    // Moving the plane (line in an axial view, extruded along z) relabels both ways; a locked FLR blocks it.
    const t2: EditTarget = { ...t, lockedLabels: lockTable(['flr']) };
    const moved = cutFlrByPlane(t2, { plane: { kind: 'line-in-view', aLPS: [p0[0] - 10, p0[1] - 100, 0], bLPS: [p0[0] - 10, p0[1] + 100, 0], viewNormalLPS: [0, 0, 1] }, flrSidePointLPS: [p0[0] + 50, p0[1], p0[2]] });
    expect(moved.voxelsChanged).toBe(0);
    expect(moved.report.blockedLocked).toBeGreaterThan(0);
    expect(() => cutFlrByPlane(t, { plane: { kind: 'three-points', pointsLPS: [p0, p0, p0] }, flrSidePointLPS: side })).toThrow(/collinear/);
  });
});
