/**
 * Painting tools: brush / eraser (sphere or in-plane circle), threshold brush, scissors, FLR by a cut plane. Each
 * tool proposes voxels to an EditBuilder (diff.ts), which applies the constraint rule (constraints.ts), writes the
 * labelmap in place and returns the EditDiff. Radii and distances are in mm (shapes.ts).
 */
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';
import type { ScalarVolume } from '../image/types.ts';
import { LABEL_FLR, LABEL_LIVER_NON_FLR } from '../segments/roles.ts';
import { segmentKey } from './constraints.ts';
import type { EditOp, SegmentRef, WriteTable } from './constraints.ts';
import { withBuilder } from './diff.ts';
import type { EditBuilder, EditDiff } from './diff.ts';
import { cross3, dot3, indexToLpsMatrix, normalize3, sub3, voxelCount } from './grid-math.ts';
import { visitCircleOnSlice, visitExtruded, visitSphere } from './shapes.ts';
import type { ExtrudedShape, RowVisitor } from './shapes.ts';

/** What every tool edits: the role labelmap (written in place), its grid, the image (HU) and the locked labels. */
export interface EditTarget {
  labelmap: Uint8Array;
  geometry: ImageGeometry;
  image: ScalarVolume | null;
  /** lockedLabels[label] = 1 for labels of locked segments (constraints.ts lockTable). */
  lockedLabels: Uint8Array;
}

export function checkTarget(target: EditTarget): void {
  const n = voxelCount(target.geometry);
  if (!(target.labelmap instanceof Uint8Array)) throw new Error('labelmap must be a Uint8Array');
  if (target.labelmap.length !== n) throw new Error(`labelmap has ${target.labelmap.length} voxels but the grid ${target.geometry.sizeIJK.join('x')} has ${n}`);
  if (target.image) {
    const s = target.image.geometry.sizeIJK;
    const g = target.geometry.sizeIJK;
    if (s[0] !== g[0] || s[1] !== g[1] || s[2] !== g[2] || target.image.pixels.length !== n) {
      throw new Error(`image grid ${s.join('x')} differs from the labelmap grid ${g.join('x')}`);
    }
  }
  if (!(target.lockedLabels instanceof Uint8Array) || target.lockedLabels.length !== 256) throw new Error('lockedLabels must be a 256-entry Uint8Array');
}

export type HuRange = [number, number];

function checkHuRange(range: HuRange): void {
  if (!Array.isArray(range) || range.length !== 2 || !Number.isFinite(range[0]) || !Number.isFinite(range[1]) || range[0] > range[1]) {
    throw new Error(`HU range must be [huMin, huMax] with huMin <= huMax, got [${String(range)}]`);
  }
}

/** A row visitor proposing every voxel (or, with huRange, those whose HU lies in [huMin, huMax]). */
function proposer(b: EditBuilder, table: WriteTable, image: ScalarVolume | null, huRange: HuRange | undefined): RowVisitor {
  if (!huRange) {
    return (base, i0, i1) => {
      for (let i = i0; i <= i1; i++) b.propose(table, base + i);
    };
  }
  if (!image) throw new Error('the threshold brush needs the image (HU) of the labelmap');
  checkHuRange(huRange);
  const [huMin, huMax] = huRange;
  const { pixels, rescaleSlope: slope, rescaleIntercept: intercept } = image;
  return (base, i0, i1) => {
    for (let i = i0; i <= i1; i++) {
      const hu = (pixels[base + i] as number) * slope + intercept;
      if (hu >= huMin && hu <= huMax) b.propose(table, base + i);
    }
  };
}

export interface BrushOptions {
  segment: SegmentRef;
  /** 'paint' = brush, 'erase' = eraser (per segment, see constraints.ts). */
  op: EditOp;
  /** 'sphere' (3D) or 'circle' (on the current slice of the view given by viewNormalLPS). */
  shape: 'sphere' | 'circle';
  radiusMm: number;
  /** Dab centres of one stroke; the stroke is one edit. */
  pointsLPS: Vec3[];
  viewNormalLPS?: Vec3;
  /** Threshold brush: only voxels with HU in [huMin, huMax] (presets.ts). */
  huRange?: HuRange;
}

/** Brush, eraser or threshold brush stroke: one edit made of one dab per point. */
export function brushStroke(target: EditTarget, options: BrushOptions): EditDiff {
  checkTarget(target);
  if (!Array.isArray(options.pointsLPS) || options.pointsLPS.length === 0) throw new Error('brush stroke needs at least one point');
  if (options.shape === 'circle' && !options.viewNormalLPS) throw new Error('a circle brush needs viewNormalLPS (the view it paints on)');
  const tool = options.huRange ? 'threshold-brush' : options.op === 'erase' ? 'eraser' : 'brush';
  return withBuilder(target.labelmap, target.lockedLabels, tool, (b) => {
    const table = b.table(options.segment, options.op);
    const visit = proposer(b, table, target.image, options.huRange);
    for (const p of options.pointsLPS) {
      if (options.shape === 'sphere') visitSphere(target.geometry, p, options.radiusMm, visit);
      else visitCircleOnSlice(target.geometry, p, options.radiusMm, options.viewNormalLPS as Vec3, visit);
    }
  });
}

export type ScissorsShape = ExtrudedShape | { kind: 'sphere'; centreLPS: Vec3; radiusMm: number };

export interface ScissorsOptions {
  segment: SegmentRef;
  /** 'fill' paints the segment, 'erase' erases it. */
  mode: 'fill' | 'erase';
  shape: ScissorsShape;
  /** Inside (default) or outside the shape. */
  region?: 'inside' | 'outside';
  huRange?: HuRange;
}

/** Scissors: rectangle or circle drawn in a view plane and extruded along the view normal through the volume, or a sphere. */
export function scissors(target: EditTarget, options: ScissorsOptions): EditDiff {
  checkTarget(target);
  const region = options.region ?? 'inside';
  return withBuilder(target.labelmap, target.lockedLabels, 'scissors', (b) => {
    const table = b.table(options.segment, options.mode === 'fill' ? 'paint' : 'erase');
    const visit = proposer(b, table, target.image, options.huRange);
    const shape = options.shape;
    if (shape.kind === 'sphere') {
      if (region === 'inside') visitSphere(target.geometry, shape.centreLPS, shape.radiusMm, visit);
      else {
        const inside = new Uint8Array(target.labelmap.length);
        visitSphere(target.geometry, shape.centreLPS, shape.radiusMm, (base, i0, i1) => inside.fill(1, base + i0, base + i1 + 1));
        const [nx, ny, nz] = target.geometry.sizeIJK;
        for (let row = 0; row < ny * nz; row++) {
          const base = row * nx;
          let i = 0;
          while (i < nx) {
            if (inside[base + i] === 1) {
              i++;
              continue;
            }
            const i0 = i;
            while (i < nx && inside[base + i] === 0) i++;
            visit(base, i0, i - 1, row % ny, Math.floor(row / ny));
          }
        }
      }
    } else visitExtruded(target.geometry, shape, region, visit);
  });
}

/** A cut plane: three points, or a line drawn in a view (two points) extruded along the view normal. */
export type CutPlane = { kind: 'three-points'; pointsLPS: [Vec3, Vec3, Vec3] } | { kind: 'line-in-view'; aLPS: Vec3; bLPS: Vec3; viewNormalLPS: Vec3 };

/** The plane as a point and unit normal. */
export function cutPlaneNormal(plane: CutPlane): { pointLPS: Vec3; normalLPS: Vec3 } {
  if (plane.kind === 'three-points') {
    const [a, b, c] = plane.pointsLPS;
    return { pointLPS: a, normalLPS: normalize3(cross3(sub3(b, a), sub3(c, a)), 'cut plane normal (the three points are collinear or coincide)') };
  }
  const dir = sub3(plane.bLPS, plane.aLPS);
  return { pointLPS: plane.aLPS, normalLPS: normalize3(cross3(dir, plane.viewNormalLPS), 'cut plane normal (the line has no length or runs along the view normal)') };
}

export interface FlrCutOptions {
  plane: CutPlane;
  /** A point on the FLR side of the plane (e.g. where the user clicked). */
  flrSidePointLPS: Vec3;
}

/**
 * FLR by a cut plane: liver parenchyma (labels 1 and 2) on the FLR side becomes FLR (2), on the other side 1.
 * Tumours are never changed (they are not FLR; those on the FLR side are counted as clippedTumour). Voxel centres
 * exactly on the plane go to the non-FLR side. Goes through the constraint (paint FLR / erase FLR), so locks hold.
 */
export function cutFlrByPlane(target: EditTarget, options: FlrCutOptions): EditDiff {
  checkTarget(target);
  const { pointLPS, normalLPS } = cutPlaneNormal(options.plane);
  const sideValue = dot3(normalLPS, sub3(options.flrSidePointLPS, pointLPS));
  if (Math.abs(sideValue) < 1e-9) throw new Error('the FLR side point lies on the cut plane: click clearly on one side');
  const sign = sideValue > 0 ? 1 : -1;
  const n: Vec3 = [normalLPS[0] * sign, normalLPS[1] * sign, normalLPS[2] * sign];
  const [nx, ny, nz] = target.geometry.sizeIJK;
  const m = indexToLpsMatrix(target.geometry);
  const ds: Vec3 = [0, 1, 2].map((a) => n[0] * (m[a] as number) + n[1] * (m[3 + a] as number) + n[2] * (m[6 + a] as number)) as Vec3;
  const s0 = dot3(n, sub3(target.geometry.originLPS, pointLPS));
  const lab = target.labelmap;
  return withBuilder(
    lab,
    target.lockedLabels,
    'flr-cut-plane',
    (b) => {
      const paintFlr = b.table({ role: 'flr' }, 'paint');
      const eraseFlr = b.table({ role: 'flr' }, 'erase');
      for (let k = 0; k < nz; k++) {
        for (let j = 0; j < ny; j++) {
          const base = nx * (j + ny * k);
          const sRow = s0 + j * ds[1] + k * ds[2];
          for (let i = 0; i < nx; i++) {
            const l = lab[base + i] as number;
            if (l === 0) continue;
            const onFlrSide = sRow + i * ds[0] > 0;
            if (onFlrSide) b.propose(paintFlr, base + i);
            else if (l === LABEL_FLR || l === LABEL_LIVER_NON_FLR) b.propose(eraseFlr, base + i);
          }
        }
      }
    },
    segmentKey({ role: 'flr' }),
  );
}
