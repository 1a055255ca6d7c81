import type { ImageGeometry } from '../geometry/types.ts';
import type { ImportedSegment, ImportedSegmentation } from '../labels/types.ts';
import { LABEL_BACKGROUND, LABEL_FLR, LABEL_LIVER_NON_FLR, LABEL_TUMOUR_BASE, MAX_TUMOURS } from './roles.ts';

/**
 * Which imported segments (by ImportedSegment.segmentNumber) make up each role.
 *  - liver: union of these segments is the liver (tumours inside it included). Required, non-empty.
 *  - tumours: each entry is one tumour t (0-based, in order). A number is one segment; an array groups several
 *    segments into one tumour. May be empty.
 *  - flr: union of these segments is the FLR. May be empty (then no FLR ratios or verdict can be computed).
 * A segment may appear in liver and in tumours at the same time (liver is a union that includes tumours).
 */
export interface RoleMapping {
  liver: number[];
  tumours: Array<number | number[]>;
  flr: number[];
}

export type QcSeverity = 'info' | 'warning' | 'error';

/** A QC finding; never silent: every rule that changes a voxel's role reports a count. */
export interface QcFlag {
  code: string;
  severity: QcSeverity;
  message: string;
  /** Voxel count the finding is about, when it is about voxels. */
  voxelCount?: number;
}

export interface ComposedTumourQc {
  /** 0-based tumour index t; role label = 10 + t. */
  tumourIndex: number;
  label: number;
  segmentNumbers: number[];
  segmentLabels: string[];
  /** Voxels labelled tumour t in the composed labelmap (after overlap resolution). */
  voxelCount: number;
}

export interface CompositionQc {
  /** Tumour voxels not covered by any liver segment; they are kept as tumour and therefore counted as liver. */
  tumourOutsideLiverVoxels: number;
  /** FLR voxels inside a tumour; they are tumour (FLR is tumour-free). */
  flrInsideTumourVoxels: number;
  /** FLR voxels outside the liver (and outside every tumour); clipped out of the FLR (set to background). */
  flrOutsideLiverVoxels: number;
  /** Voxels claimed by two or more tumours; the first tumour in the mapping wins. */
  tumourOverlapVoxels: number;
  liverSegmentNumbers: number[];
  flrSegmentNumbers: number[];
  tumours: ComposedTumourQc[];
  /** Composed voxel counts per role label group. */
  voxelCounts: { liver: number; tlvMeasured: number; flr: number; tumours: number };
  flags: QcFlag[];
}

export interface ComposedRoleLabelmap {
  labelmap: Uint8Array;
  /** The series grid the labelmap is on (copied from the imported segmentation). */
  geometry: ImageGeometry;
  mapping: RoleMapping;
  qc: CompositionQc;
}

function voxelTotal(geometry: ImageGeometry): number {
  const [nx, ny, nz] = geometry.sizeIJK;
  return nx * ny * nz;
}

function listSegments(segments: ImportedSegment[]): string {
  if (segments.length === 0) return '(the segmentation has no segments)';
  return segments.map((s) => `${s.segmentNumber} "${s.label}"`).join(', ');
}

function checkSegmentNumbers(role: string, numbers: number[], byNumber: Map<number, ImportedSegment>, segments: ImportedSegment[]): void {
  const seen = new Set<number>();
  for (const n of numbers) {
    if (!Number.isInteger(n)) throw new Error(`role mapping "${role}": segment number must be an integer, got ${String(n)}`);
    if (!byNumber.has(n)) {
      throw new Error(`role mapping "${role}": segment ${n} does not exist; available segments: ${listSegments(segments)}`);
    }
    if (seen.has(n)) throw new Error(`role mapping "${role}": segment ${n} is listed twice`);
    seen.add(n);
  }
}

/** Normalises the tumour entries to arrays and checks that no segment belongs to two tumours. */
function tumourGroups(mapping: RoleMapping, byNumber: Map<number, ImportedSegment>, segments: ImportedSegment[]): number[][] {
  const groups = mapping.tumours.map((entry) => (Array.isArray(entry) ? [...entry] : [entry]));
  if (groups.length > MAX_TUMOURS) throw new Error(`role mapping "tumours": at most ${MAX_TUMOURS} tumours are supported, got ${groups.length}`);
  const owner = new Map<number, number>();
  groups.forEach((group, t) => {
    if (group.length === 0) throw new Error(`role mapping "tumours": tumour ${t + 1} lists no segments`);
    checkSegmentNumbers(`tumours[${t}]`, group, byNumber, segments);
    for (const n of group) {
      const prev = owner.get(n);
      if (prev !== undefined) throw new Error(`role mapping "tumours": segment ${n} is assigned to tumour ${prev + 1} and tumour ${t + 1}`);
      owner.set(n, t);
    }
  });
  return groups;
}

interface LayerLut {
  layer: Uint8Array | Uint16Array;
  /** Bit 1 = liver, bit 2 = FLR; indexed by labelValue. */
  roleBits: Uint8Array;
  /** Tumour index + 1 (0 = no tumour), indexed by labelValue. */
  tumourPlusOne: Uint16Array;
}

const BIT_LIVER = 1;
/** FLR voxels outside the liver above this fraction of the FLR segments' voxels make 'flr-outside-liver' an error. */
export const FLR_OUTSIDE_LIVER_ERROR_FRACTION = 0.05;
const BIT_FLR = 2;

/**
 * Builds the exclusive role labelmap from an imported segmentation and a role mapping. Rules (all counted in qc):
 *  1. A voxel in any tumour is tumour t (first tumour in the mapping order wins when tumours overlap).
 *  2. Tumour voxels outside every liver segment stay tumour, hence liver (liver includes tumours); counted.
 *  3. FLR voxels inside a tumour are tumour (FLR is tumour-free); counted.
 *  4. Other voxels in a liver segment are FLR (2) when in an FLR segment, else liver non-FLR (1).
 *  5. FLR voxels outside the liver and outside every tumour are clipped to background; counted.
 */
export function composeRoleLabelmap(imported: ImportedSegmentation, mapping: RoleMapping): ComposedRoleLabelmap {
  const { segments } = imported;
  const byNumber = new Map<number, ImportedSegment>();
  for (const s of segments) byNumber.set(s.segmentNumber, s);

  if (!Array.isArray(mapping.liver) || mapping.liver.length === 0) {
    throw new Error(`role mapping "liver" is missing: name the segment(s) forming the whole liver; available segments: ${listSegments(segments)}`);
  }
  checkSegmentNumbers('liver', mapping.liver, byNumber, segments);
  checkSegmentNumbers('flr', mapping.flr, byNumber, segments);
  const groups = tumourGroups(mapping, byNumber, segments);

  const total = voxelTotal(imported.geometry);
  imported.layers.forEach((layer, li) => {
    if (layer.length !== total) {
      throw new Error(`imported segmentation layer ${li} has ${layer.length} voxels but the grid ${imported.geometry.sizeIJK.join('x')} has ${total}`);
    }
  });

  // Per-layer lookup tables labelValue -> role bits / tumour index.
  const luts: LayerLut[] = [];
  const lutFor = (s: ImportedSegment): LayerLut => {
    const layer = imported.layers[s.layer];
    if (layer === undefined) throw new Error(`imported segment ${s.segmentNumber} "${s.label}" refers to layer ${s.layer}, but there are ${imported.layers.length} layers`);
    let lut = luts.find((l) => l.layer === layer);
    if (!lut) {
      const size = layer instanceof Uint8Array ? 256 : 65536;
      lut = { layer, roleBits: new Uint8Array(size), tumourPlusOne: new Uint16Array(size) };
      luts.push(lut);
    }
    if (!Number.isInteger(s.labelValue) || s.labelValue <= 0 || s.labelValue >= lut.roleBits.length) {
      throw new Error(`imported segment ${s.segmentNumber} "${s.label}" has labelValue ${s.labelValue}, outside 1..${lut.roleBits.length - 1} for its layer`);
    }
    return lut;
  };
  for (const n of mapping.liver) {
    const s = byNumber.get(n) as ImportedSegment;
    lutFor(s).roleBits[s.labelValue] |= BIT_LIVER;
  }
  for (const n of mapping.flr) {
    const s = byNumber.get(n) as ImportedSegment;
    lutFor(s).roleBits[s.labelValue] |= BIT_FLR;
  }
  groups.forEach((group, t) => {
    for (const n of group) {
      const s = byNumber.get(n) as ImportedSegment;
      lutFor(s).tumourPlusOne[s.labelValue] = t + 1;
    }
  });

  const labelmap = new Uint8Array(total);
  let tumourOutsideLiver = 0;
  let flrInsideTumour = 0;
  let flrOutsideLiver = 0;
  let flrMapped = 0;
  let tumourOverlap = 0;
  const nLuts = luts.length;
  const tumourCounts = new Float64Array(groups.length);
  const NO_TUMOUR = 0xffff;

  for (let idx = 0; idx < total; idx++) {
    let bits = 0;
    let tumour = NO_TUMOUR; // lowest tumour index + 1 seen
    let tumourHits = 0;
    for (let l = 0; l < nLuts; l++) {
      const lut = luts[l] as LayerLut;
      const v = lut.layer[idx] as number;
      if (v === 0) continue;
      bits |= lut.roleBits[v] as number;
      const tp = lut.tumourPlusOne[v] as number;
      if (tp !== 0) {
        tumourHits++;
        if (tp < tumour) tumour = tp;
      }
    }
    if ((bits & BIT_FLR) !== 0) flrMapped++;
    if (tumour !== NO_TUMOUR) {
      labelmap[idx] = LABEL_TUMOUR_BASE + tumour - 1;
      tumourCounts[tumour - 1]++;
      if (tumourHits > 1) tumourOverlap++;
      if ((bits & BIT_LIVER) === 0) tumourOutsideLiver++;
      if ((bits & BIT_FLR) !== 0) flrInsideTumour++;
    } else if ((bits & BIT_LIVER) !== 0) {
      labelmap[idx] = (bits & BIT_FLR) !== 0 ? LABEL_FLR : LABEL_LIVER_NON_FLR;
    } else if ((bits & BIT_FLR) !== 0) {
      flrOutsideLiver++;
      labelmap[idx] = LABEL_BACKGROUND;
    }
  }

  let liverNonFlr = 0;
  let flr = 0;
  for (let idx = 0; idx < total; idx++) {
    const v = labelmap[idx];
    if (v === LABEL_LIVER_NON_FLR) liverNonFlr++;
    else if (v === LABEL_FLR) flr++;
  }
  let tumoursTotal = 0;
  for (const c of tumourCounts) tumoursTotal += c;

  const tumours: ComposedTumourQc[] = groups.map((group, t) => ({
    tumourIndex: t,
    label: LABEL_TUMOUR_BASE + t,
    segmentNumbers: group,
    segmentLabels: group.map((n) => (byNumber.get(n) as ImportedSegment).label),
    voxelCount: tumourCounts[t] as number,
  }));

  const flags: QcFlag[] = [];
  if (tumourOutsideLiver > 0) {
    flags.push({
      code: 'tumour-outside-liver',
      severity: 'warning',
      voxelCount: tumourOutsideLiver,
      message: `${tumourOutsideLiver} tumour voxels lie outside the liver segment(s); counted as liver (liver includes tumours)`,
    });
  }
  if (flrInsideTumour > 0) {
    flags.push({
      code: 'flr-inside-tumour',
      severity: 'warning',
      voxelCount: flrInsideTumour,
      message: `${flrInsideTumour} FLR voxels lie inside a tumour; counted as tumour (the FLR is tumour-free)`,
    });
  }
  if (flrOutsideLiver > 0) {
    // A large clipped part is not a contouring slip but a wrong mapping, typically an exclusive labelmap
    // (1 = liver outside the FLR, 2 = FLR) mapped as --liver 1 --flr 2: the FLR and the liver are then both wrong.
    const fraction = flrOutsideLiver / flrMapped;
    const large = fraction > FLR_OUTSIDE_LIVER_ERROR_FRACTION;
    const liverNumbers = [...new Set([...mapping.liver, ...mapping.flr])].sort((x, y) => x - y).join(',');
    flags.push({
      code: 'flr-outside-liver',
      severity: large ? 'error' : 'warning',
      voxelCount: flrOutsideLiver,
      message: `${flrOutsideLiver} FLR voxels (${(fraction * 100).toFixed(1)} % of the FLR segments' ${flrMapped}) lie outside the liver; clipped out of the FLR${
        large
          ? `. The FLR segments lie largely outside the liver segments; if your labels are exclusive (e.g. 1 = liver outside FLR, 2 = FLR), map the liver as --liver ${liverNumbers}`
          : ''
      }`,
    });
  }
  if (tumourOverlap > 0) {
    flags.push({
      code: 'tumour-overlap',
      severity: 'warning',
      voxelCount: tumourOverlap,
      message: `${tumourOverlap} voxels belong to two or more tumours; assigned to the first tumour in the mapping`,
    });
  }
  if (liverNonFlr + flr + tumoursTotal === 0) {
    flags.push({ code: 'liver-empty', severity: 'error', voxelCount: 0, message: 'the liver has no voxels on the series grid' });
  }
  if (mapping.flr.length === 0) {
    flags.push({ code: 'flr-not-mapped', severity: 'warning', message: 'no segment is mapped to the FLR; FLR ratios and the verdict cannot be computed' });
  } else if (flr === 0) {
    flags.push({ code: 'flr-empty', severity: 'error', voxelCount: 0, message: 'the FLR has no voxels after composition' });
  }
  for (const t of tumours) {
    if (t.voxelCount === 0) {
      flags.push({
        code: 'tumour-empty',
        severity: 'warning',
        voxelCount: 0,
        message: `tumour ${t.tumourIndex + 1} (segment ${t.segmentNumbers.join('+')}) has no voxels after composition`,
      });
    }
  }

  return {
    labelmap,
    geometry: imported.geometry,
    mapping: { liver: [...mapping.liver], tumours: groups.map((g) => (g.length === 1 ? (g[0] as number) : g)), flr: [...mapping.flr] },
    qc: {
      tumourOutsideLiverVoxels: tumourOutsideLiver,
      flrInsideTumourVoxels: flrInsideTumour,
      flrOutsideLiverVoxels: flrOutsideLiver,
      tumourOverlapVoxels: tumourOverlap,
      liverSegmentNumbers: [...mapping.liver],
      flrSegmentNumbers: [...mapping.flr],
      tumours,
      voxelCounts: { liver: liverNonFlr + flr + tumoursTotal, tlvMeasured: liverNonFlr + flr, flr, tumours: tumoursTotal },
      flags,
    },
  };
}
