import type { Vec3 } from '../geometry/types.ts';
import { LABEL_TUMOUR_BASE, isFlrLabel, isLiverLabel, isReservedLabel, isTlvMeasuredLabel, isTumourLabel } from '../segments/roles.ts';
import { fovFacesOf } from './label-stats.ts';
import type { FovFace, IntensityStats, LabelStat, LabelStats, SliceCoverage } from './label-stats.ts';

/** Statistics of a union of role labels (e.g. the liver = {1, 2, 10+}). */
export interface RegionStat {
  /** Role labels present in the region. */
  labels: number[];
  voxelCount: number;
  volumeMl: number;
  /** null when the region is empty. */
  boundingBoxIJK: { min: Vec3; max: Vec3 } | null;
  slicesK: SliceCoverage | null;
  intensity: IntensityStats | null;
  touchesFovEdge: boolean;
  fovEdgeFaces: FovFace[];
}

export interface TumourRegionStat extends RegionStat {
  /** 0-based tumour index t; role label 10 + t. */
  tumourIndex: number;
  label: number;
}

export interface RoleStats {
  liver: RegionStat;
  tlvMeasured: RegionStat;
  flr: RegionStat;
  tumoursAll: RegionStat;
  tumours: TumourRegionStat[];
}

function mergeRuns(all: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...all].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Union statistics of the given label stats (which are disjoint by construction of a labelmap). */
export function unionRegion(members: LabelStat[], voxelVolumeMm3: number, sizeIJK: Vec3): RegionStat {
  const voxelCount = members.reduce((n, m) => n + m.voxelCount, 0);
  if (voxelCount === 0) {
    return { labels: [], voxelCount: 0, volumeMl: 0, boundingBoxIJK: null, slicesK: null, intensity: null, touchesFovEdge: false, fovEdgeFaces: [] };
  }
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const m of members) {
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a] as number, m.boundingBoxIJK.min[a] as number);
      max[a] = Math.max(max[a] as number, m.boundingBoxIJK.max[a] as number);
    }
  }
  const runs = mergeRuns(members.flatMap((m) => m.slicesK.runs));
  const slicesK: SliceCoverage = {
    firstK: (runs[0] as [number, number])[0],
    lastK: (runs.at(-1) as [number, number])[1],
    count: runs.reduce((n, [s, e]) => n + e - s + 1, 0),
    runs,
  };
  let intensity: IntensityStats | null = null;
  const withIntensity = members.filter((m) => m.intensity !== null);
  if (withIntensity.length === members.length) {
    const first = (members[0] as LabelStat).intensity as IntensityStats;
    let weighted = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const m of members) {
      const it = m.intensity as IntensityStats;
      weighted += it.mean * m.voxelCount;
      lo = Math.min(lo, it.min);
      hi = Math.max(hi, it.max);
    }
    intensity = { mean: weighted / voxelCount, min: lo, max: hi, units: first.units };
  }
  const boundingBoxIJK = { min, max };
  const fovEdgeFaces = fovFacesOf(boundingBoxIJK, sizeIJK);
  return {
    labels: members.map((m) => m.label),
    voxelCount,
    volumeMl: (voxelCount * voxelVolumeMm3) / 1000,
    boundingBoxIJK,
    slicesK,
    intensity,
    touchesFovEdge: fovEdgeFaces.length > 0,
    fovEdgeFaces,
  };
}

/**
 * Role-level statistics from the label statistics of a role labelmap (docs/segment-semantics.md).
 * `tumourCount` (from the role mapping) makes tumours with no voxels appear with volume 0; tumour labels beyond it
 * are still reported. A labelmap holding reserved labels 3..9 is not a role labelmap and is rejected.
 */
export function computeRoleStats(stats: LabelStats, tumourCount = 0): RoleStats {
  const reserved = stats.labels.filter((l) => isReservedLabel(l.label)).map((l) => l.label);
  if (reserved.length > 0) throw new Error(`labelmap holds reserved labels ${reserved.join(', ')}; a role labelmap uses only 0, 1, 2 and 10+t`);
  const vv = stats.voxelVolume.valueMm3;
  const pick = (pred: (l: number) => boolean): LabelStat[] => stats.labels.filter((l) => pred(l.label));
  const tumourLabels = pick(isTumourLabel);
  const maxT = Math.max(tumourCount, ...tumourLabels.map((l) => l.label - LABEL_TUMOUR_BASE + 1));
  const tumours: TumourRegionStat[] = [];
  for (let t = 0; t < maxT; t++) {
    const label = LABEL_TUMOUR_BASE + t;
    tumours.push({ ...unionRegion(pick((l) => l === label), vv, stats.sizeIJK), tumourIndex: t, label });
  }
  return {
    liver: unionRegion(pick(isLiverLabel), vv, stats.sizeIJK),
    tlvMeasured: unionRegion(pick(isTlvMeasuredLabel), vv, stats.sizeIJK),
    flr: unionRegion(pick(isFlrLabel), vv, stats.sizeIJK),
    tumoursAll: unionRegion(tumourLabels, vv, stats.sizeIJK),
    tumours,
  };
}
