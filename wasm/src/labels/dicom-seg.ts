import type { DataSet } from 'dicom-parser';
import type { Vec3 } from '../geometry/types.ts';
import { sha256Hex } from '../util/sha256.ts';
import type { ImportedSegment, ImportedSegmentation } from './types.ts';
import type { GridMatchOptions } from './label-volume.ts';
import { defaultToleranceMm, describeGeometry, indexToLps, lpsToIndex, sliceKey } from './target-grid.ts';
import type { TargetGrid } from './target-grid.ts';
import { SUPPORTED_SEG_TRANSFER_SYNTAXES, makeFrameDecoder, parseDicomNamed, transferSyntaxName } from './seg-pixels.ts';

export const SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';
export const LABEL_MAP_SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.7';

/** Default FRACTIONAL threshold: a voxel belongs to the segment when value >= 0.5 * MaximumFractionalValue. */
export const DEFAULT_FRACTIONAL_THRESHOLD = 0.5;

export interface SegImportOptions extends GridMatchOptions {
  /** FRACTIONAL SEG: inclusive threshold as a fraction of MaximumFractionalValue, in (0, 1]. Default 0.5. */
  fractionalThreshold?: number;
}

interface SegSegmentDef {
  number: number;
  label: string;
  description?: string;
}

/** What one SEG frame says about itself (from per-frame, else shared, functional groups). */
export interface SegFrameInfo {
  /** 0-based frame index in the Pixel Data. */
  index: number;
  segmentNumber?: number;
  /** Keys of referenced source images: UID, and UID#frame when a ReferencedFrameNumber is given. */
  referencedKeys: string[];
  positionLPS?: Vec3;
  /** ImageOrientationPatient: row direction (along columns index) then column direction. */
  orientation?: number[];
  /** PixelSpacing: [between rows, between columns] in mm. */
  pixelSpacingMm?: [number, number];
}

function items(ds: DataSet | undefined, tag: string): DataSet[] {
  const el = ds?.elements[tag];
  return (el?.items ?? []).flatMap((it) => (it.dataSet ? [it.dataSet] : []));
}

function numbers(ds: DataSet | undefined, tag: string, count: number): number[] | undefined {
  if (!ds?.elements[tag]) return undefined;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = ds.floatString(tag, i);
    if (v === undefined || !Number.isFinite(v)) return undefined;
    out.push(v);
  }
  return out;
}

/** Reads the per-frame facts from the functional groups (per-frame first, then shared). */
export function readFrameInfos(ds: DataSet, frames: number, fileName: string): SegFrameInfo[] {
  const shared = items(ds, 'x52009229')[0];
  const perFrame = items(ds, 'x52009230');
  if (perFrame.length !== 0 && perFrame.length !== frames) {
    throw new Error(`${fileName}: PerFrameFunctionalGroupsSequence has ${perFrame.length} items for ${frames} frames`);
  }
  const group = (f: number, tag: string): DataSet | undefined => items(perFrame[f], tag)[0] ?? items(shared, tag)[0];
  const out: SegFrameInfo[] = [];
  for (let f = 0; f < frames; f++) {
    const segId = group(f, 'x0062000a');
    const referencedKeys: string[] = [];
    const derivations = [...items(perFrame[f], 'x00089124'), ...(perFrame[f]?.elements.x00089124 ? [] : items(shared, 'x00089124'))];
    for (const der of derivations) {
      for (const src of items(der, 'x00082112')) {
        const uid = src.string('x00081155');
        if (!uid) continue;
        const frameNumber = src.intString('x00081160');
        if (frameNumber !== undefined) referencedKeys.push(sliceKey(uid, frameNumber));
        referencedKeys.push(uid);
      }
    }
    const ipp = numbers(group(f, 'x00209113'), 'x00200032', 3);
    const iop = numbers(group(f, 'x00209116'), 'x00200037', 6);
    const ps = numbers(group(f, 'x00289110'), 'x00280030', 2);
    out.push({
      index: f,
      segmentNumber: segId?.uint16('x0062000b'),
      referencedKeys,
      positionLPS: ipp as Vec3 | undefined,
      orientation: iop,
      pixelSpacingMm: ps as [number, number] | undefined,
    });
  }
  return out;
}

/**
 * Finds the target slice a frame lies on. A frame whose ReferencedSOPInstanceUID (+ frame number) names a target
 * slice is placed there; otherwise its ImagePositionPatient is projected onto the target grid. Either way, when the
 * frame has a position, its four corner pixels must coincide with target voxel centres within toleranceMm.
 */
export function placeFrame(
  frame: SegFrameInfo,
  rows: number,
  columns: number,
  target: TargetGrid,
  kByKey: Map<string, number>,
  toleranceMm: number,
  fileName: string,
): { k: number; by: 'reference' | 'position' } {
  const g = target.geometry;
  const what = `${fileName} frame ${frame.index + 1}`;
  if (columns !== g.sizeIJK[0] || rows !== g.sizeIJK[1]) {
    throw new Error(`${what}: ${rows} rows x ${columns} columns do not match the target slices (${g.sizeIJK[1]} rows x ${g.sizeIJK[0]} columns); target grid: ${describeGeometry(g)}`);
  }
  let kRef: number | undefined;
  for (const key of frame.referencedKeys) {
    const k = kByKey.get(key);
    if (k !== undefined) {
      kRef = k;
      break;
    }
  }
  if (!frame.positionLPS) {
    if (kRef === undefined) {
      throw new Error(`${what}: references no slice of target series ${target.seriesInstanceUid} (${frame.referencedKeys.join(', ') || 'no ReferencedSOPInstanceUID'}) and has no PlanePositionSequence to place it by position`);
    }
    return { k: kRef, by: 'reference' };
  }
  const kCont = lpsToIndex(g, frame.positionLPS)[2];
  const k = kRef ?? Math.round(kCont);
  if (k < 0 || k >= g.sizeIJK[2]) {
    throw new Error(`${what}: position LPS (${frame.positionLPS.map((v) => v.toFixed(3)).join(', ')}) lies outside the target series (slice index ${kCont.toFixed(3)} of 0..${g.sizeIJK[2] - 1}); target grid: ${describeGeometry(g)}`);
  }
  // Frame pixel (c, r) -> LPS, using the frame's own orientation and spacing (target's if absent).
  const d = g.directionLPS;
  const rowDir = frame.orientation?.slice(0, 3) ?? [d[0], d[3], d[6]];
  const colDir = frame.orientation?.slice(3, 6) ?? [d[1], d[4], d[7]];
  const [dRow, dCol] = frame.pixelSpacingMm ?? [g.spacingMm[1], g.spacingMm[0]];
  let worst = 0;
  for (const [c, r] of [
    [0, 0],
    [columns - 1, 0],
    [0, rows - 1],
    [columns - 1, rows - 1],
  ]) {
    const p = [0, 1, 2].map((a) => frame.positionLPS![a] + c * dCol * rowDir[a] + r * dRow * colDir[a]);
    const q = indexToLps(g, [c, r, k]);
    worst = Math.max(worst, Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]));
  }
  if (worst > toleranceMm) {
    const cause = kRef !== undefined ? `references target slice ${k} but its plane` : 'its plane';
    throw new Error(
      `${what}: ${cause} does not coincide with a target slice (corner pixels up to ${worst.toFixed(4)} mm from slice ${k}'s voxel centres, tolerance ${toleranceMm.toFixed(4)} mm). ` +
        `Frame: position LPS (${frame.positionLPS.map((v) => v.toFixed(4)).join(', ')}), orientation (${[...rowDir, ...colDir].map((v) => v.toFixed(6)).join(', ')}), pixel spacing ${dRow}/${dCol} mm. Target grid: ${describeGeometry(g)}`,
    );
  }
  return { k, by: kRef !== undefined ? 'reference' : 'position' };
}

function segmentDefinitions(ds: DataSet): SegSegmentDef[] {
  return items(ds, 'x00620002').map((it) => ({
    number: it.uint16('x00620004') ?? NaN,
    label: it.string('x00620005') ?? '',
    description: it.text('x00620006'),
  }));
}

/** Throws when the SEG was made for another series / frame of reference than the target. */
export function checkSegReferencesTarget(ds: DataSet, target: TargetGrid, fileName: string): { referencedSeries: string[]; frameOfReferenceUid?: string } {
  const referencedSeries = items(ds, 'x00081115').flatMap((it) => {
    const uid = it.string('x0020000e');
    return uid ? [uid] : [];
  });
  const frameOfReferenceUid = ds.string('x00200052');
  if (referencedSeries.length > 0 && !referencedSeries.includes(target.seriesInstanceUid)) {
    throw new Error(
      `${fileName}: DICOM SEG references series ${referencedSeries.join(', ')}, not the target series ${target.seriesInstanceUid}` +
        ` (SEG frame of reference ${frameOfReferenceUid ?? 'not given'}, target ${target.frameOfReferenceUid ?? 'not given'}); load the referenced series or pick the matching SEG`,
    );
  }
  if (frameOfReferenceUid && target.frameOfReferenceUid && frameOfReferenceUid !== target.frameOfReferenceUid) {
    throw new Error(
      `${fileName}: DICOM SEG frame of reference ${frameOfReferenceUid} differs from target series ${target.seriesInstanceUid}'s frame of reference ${target.frameOfReferenceUid}` +
        (referencedSeries.length > 0 ? ` (SEG references series ${referencedSeries.join(', ')})` : ''),
    );
  }
  return { referencedSeries, frameOfReferenceUid };
}

/**
 * Imports a DICOM SEG (BINARY, FRACTIONAL or Label Map SEG) onto the target series grid. Frames are placed by
 * ReferencedSOPInstanceUID, else by position; segments that overlap go to separate layers.
 */
export async function importDicomSeg(bytes: Uint8Array, fileName: string, target: TargetGrid, options: SegImportOptions = {}): Promise<ImportedSegmentation> {
  const sha256 = await sha256Hex(bytes);
  const ds = parseDicomNamed(bytes, fileName);
  const sopClass = ds.string('x00080016') || ds.string('x00020002') || '';
  if (sopClass !== SEG_SOP_CLASS && sopClass !== LABEL_MAP_SEG_SOP_CLASS) {
    throw new Error(`${fileName}: not a DICOM Segmentation (SOP Class ${sopClass || 'missing'}; expected ${SEG_SOP_CLASS} or Label Map ${LABEL_MAP_SEG_SOP_CLASS})`);
  }
  const ts = ds.string('x00020010') ?? '1.2.840.10008.1.2';
  if (!SUPPORTED_SEG_TRANSFER_SYNTAXES[ts]) {
    throw new Error(
      `${fileName}: unsupported transfer syntax ${ts} (${transferSyntaxName(ts)}) for a DICOM SEG; supported: ${Object.entries(SUPPORTED_SEG_TRANSFER_SYNTAXES)
        .map(([u, n]) => `${n} ${u}`)
        .join(', ')}. Re-encode it, e.g. "gdcmconv --raw in.dcm out.dcm"`,
    );
  }
  const refs = checkSegReferencesTarget(ds, target, fileName);
  const segType = (ds.string('x00620001') ?? (sopClass === LABEL_MAP_SEG_SOP_CLASS ? 'LABELMAP' : '')).toUpperCase();
  if (segType !== 'BINARY' && segType !== 'FRACTIONAL' && segType !== 'LABELMAP') {
    throw new Error(`${fileName}: unsupported SegmentationType "${segType || 'missing'}" (expected BINARY, FRACTIONAL or LABELMAP)`);
  }
  const defs = segmentDefinitions(ds);
  if (defs.length === 0) throw new Error(`${fileName}: DICOM SEG is empty: its SegmentSequence defines no segments`);
  const bad = defs.find((d) => !Number.isInteger(d.number));
  if (bad) throw new Error(`${fileName}: a SegmentSequence item lacks SegmentNumber (label "${bad.label}")`);
  const frames = ds.elements.x7fe00010 ? (ds.intString('x00280008') ?? 1) : 0;
  if (!(frames > 0)) throw new Error(`${fileName}: DICOM SEG is empty: it has no frames (NumberOfFrames ${ds.string('x00280008') ?? 'missing'}, Pixel Data ${ds.elements.x7fe00010 ? 'present' : 'absent'})`);
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const bitsAllocated = ds.uint16('x00280100') ?? 0;
  const expectedBits = segType === 'BINARY' ? [1] : segType === 'FRACTIONAL' ? [8] : [8, 16];
  if (!expectedBits.includes(bitsAllocated)) {
    throw new Error(`${fileName}: ${segType} SEG with BitsAllocated ${bitsAllocated} (expected ${expectedBits.join(' or ')})`);
  }
  const decode = makeFrameDecoder(ds, { rows, columns, frames, bitsAllocated: bitsAllocated as 1 | 8 | 16, transferSyntaxUid: ts }, fileName);
  const toleranceMm = options.toleranceMm ?? defaultToleranceMm(target.geometry);
  const kByKey = new Map(target.sopInstanceUidsByK.map((key, k) => [key, k]));
  const infos = readFrameInfos(ds, frames, fileName);
  const placements = infos.map((fi) => placeFrame(fi, rows, columns, target, kByKey, toleranceMm, fileName));
  const byRef = placements.filter((p) => p.by === 'reference').length;

  const n = rows * columns;
  const total = n * target.geometry.sizeIJK[2];
  const notes: string[] = [
    `DICOM SEG ${segType} (${transferSyntaxName(ts)}), ${frames} frame(s) of ${rows}x${columns}`,
    `frames placed on target series ${target.seriesInstanceUid}: ${byRef} by ReferencedSOPInstanceUID, ${frames - byRef} by ImagePositionPatient` +
      ` (every positioned frame's corners within ${toleranceMm} mm of target voxel centres); no resampling`,
  ];
  const layers: Array<Uint8Array | Uint16Array> = [];
  const segments: ImportedSegment[] = [];

  if (segType === 'LABELMAP') {
    const padding = ds.elements.x00280120 ? ds.uint16('x00280120') : undefined;
    const known = new Map(defs.map((d) => [d.number, d]));
    const layer = bitsAllocated === 8 ? new Uint8Array(total) : new Uint16Array(total);
    const counts = new Map<number, number>();
    const seen = new Map<number, number>();
    infos.forEach((fi, f) => {
      const k = placements[f].k;
      const prev = seen.get(k);
      if (prev !== undefined) throw new Error(`${fileName}: frames ${prev + 1} and ${f + 1} both lie on target slice ${k}`);
      seen.set(k, f);
      const px = decode(f);
      const base = k * n;
      for (let p = 0; p < n; p++) {
        const v = px[p];
        if (v === 0 || v === padding) continue;
        const def = known.get(v);
        if (!def) throw new Error(`${fileName} frame ${f + 1}: pixel value ${v} is not a SegmentNumber defined in the SegmentSequence (${defs.map((d) => d.number).join(', ')})`);
        layer[base + p] = v;
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
    });
    layers.push(layer);
    for (const d of defs) {
      if (d.number === 0 || d.number === padding) continue;
      segments.push({ segmentNumber: d.number, layer: 0, labelValue: d.number, label: d.label, ...(d.description ? { description: d.description } : {}), voxelCount: counts.get(d.number) ?? 0 });
    }
    notes.push(`Label Map SEG: pixel value = SegmentNumber; 0${padding !== undefined ? ` and PixelPaddingValue ${padding}` : ''} = background`);
  } else {
    let threshold = 1;
    if (segType === 'FRACTIONAL') {
      const maxValue = ds.uint16('x0062000e');
      if (!maxValue) throw new Error(`${fileName}: FRACTIONAL SEG lacks MaximumFractionalValue (0062,000E)`);
      const fraction = options.fractionalThreshold ?? DEFAULT_FRACTIONAL_THRESHOLD;
      if (!(fraction > 0 && fraction <= 1)) throw new Error(`fractionalThreshold must be in (0, 1], got ${fraction}`);
      threshold = fraction * maxValue;
      notes.push(`FRACTIONAL (${ds.string('x00620010') ?? 'type not given'}) thresholded: value >= ${fraction} x MaximumFractionalValue ${maxValue} (= ${threshold})`);
    }
    const defNumbers = new Set(defs.map((d) => d.number));
    const framesBySegment = new Map<number, number[]>();
    infos.forEach((fi, f) => {
      const s = fi.segmentNumber ?? (defs.length === 1 ? defs[0].number : undefined);
      if (s === undefined) throw new Error(`${fileName} frame ${f + 1}: no ReferencedSegmentNumber (SegmentIdentificationSequence) in a SEG with ${defs.length} segments`);
      if (!defNumbers.has(s)) throw new Error(`${fileName} frame ${f + 1}: ReferencedSegmentNumber ${s} is not defined in the SegmentSequence`);
      framesBySegment.set(s, [...(framesBySegment.get(s) ?? []), f]);
    });
    const wide = defs.some((d) => d.number > 255);
    for (const d of defs) {
      // This segment's slices on the target grid.
      const slices = new Map<number, Uint8Array>();
      let count = 0;
      for (const f of framesBySegment.get(d.number) ?? []) {
        const k = placements[f].k;
        if (slices.has(k)) throw new Error(`${fileName}: segment ${d.number} has two frames on target slice ${k} (frame ${f + 1})`);
        const px = decode(f);
        const mask = new Uint8Array(n);
        for (let p = 0; p < n; p++) {
          if (px[p] >= threshold && px[p] > 0) {
            mask[p] = 1;
            count++;
          }
        }
        slices.set(k, mask);
      }
      // First layer where it overlaps nothing, else a new layer.
      let layerIndex = layers.findIndex((layer) => {
        for (const [k, mask] of slices) {
          const base = k * n;
          for (let p = 0; p < n; p++) if (mask[p] && layer[base + p] !== 0) return false;
        }
        return true;
      });
      if (layerIndex < 0) {
        layers.push(wide ? new Uint16Array(total) : new Uint8Array(total));
        layerIndex = layers.length - 1;
      }
      const layer = layers[layerIndex];
      for (const [k, mask] of slices) {
        const base = k * n;
        for (let p = 0; p < n; p++) if (mask[p]) layer[base + p] = d.number;
      }
      segments.push({ segmentNumber: d.number, layer: layerIndex, labelValue: d.number, label: d.label, ...(d.description ? { description: d.description } : {}), voxelCount: count });
    }
    if (layers.length === 0) layers.push(new Uint8Array(total));
    if (layers.length > 1) notes.push(`overlapping segments kept apart on ${layers.length} layers`);
  }

  return {
    geometry: target.geometry,
    layers,
    segments,
    source: {
      format: 'dicom-seg',
      fileName,
      sha256,
      referencedSeriesInstanceUid: refs.referencedSeries[0],
      frameOfReferenceUid: refs.frameOfReferenceUid,
      mappingNotes: notes,
    },
  };
}

