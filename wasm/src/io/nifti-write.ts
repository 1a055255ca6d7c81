/**
 * NIfTI-1 single-file (.nii / .nii.gz) writer for label maps on an {@link ImageGeometry} (runtime-neutral; returns bytes).
 *
 * Geometry: NIfTI world coordinates are RAS (x Right->... i.e. +x = patient Left is -x_RAS), so
 *   pointRAS = F * pointLPS with F = diag(-1, -1, 1).
 * The voxel (i, j, k) of the stored array (i fastest, as in ImageGeometry) maps to
 *   pointRAS = F * (originLPS + D * diag(spacingMm) * [i, j, k]).
 * Both the sform (srow_x/y/z, sform_code 1 = scanner) and the qform (quaternion + qfac, qform_code 1) encode this same
 * mapping. The qform needs an orthonormal direction matrix; a left-handed one (det < 0) is stored with qfac = -1 and the
 * third column negated before the quaternion is taken (NIfTI-1 convention). pixdim[1..3] = spacingMm, xyzt_units = mm.
 *
 * Sheared geometry (unit direction columns that are not mutually orthogonal, e.g. a gantry-tilted CT stack whose k axis
 * is the slice step): only the sform, a general affine, can carry it, and it does so exactly. The qform is a rotation
 * plus per-axis scaling and cannot: any qform would place the slices elsewhere (by up to k x the in-plane drift per
 * slice) and give another voxel volume, and readers that prefer the qform would silently use it. So qform_code = 0
 * (quaternion and qoffset zero, pixdim[0] = 1): the file's only transform is the exact sform. Orthonormal geometries are
 * written as before (byte-identical). ITK-based tools cannot represent shear and refuse such a file (plastimatch /
 * ITK 5: "ITK only supports orthonormal direction cosines"); our reader (nifti-read.ts) keeps the sform exactly.
 */
import { gzipSync } from 'fflate';
import type { ImageGeometry } from '../geometry/types.ts';

export type NiftiLabelArray = Uint8Array | Uint16Array | Int16Array;

export interface NiftiWriteOptions {
  /** gzip the output (.nii.gz); default false. The gzip header carries no timestamp, so output is deterministic. */
  gzip?: boolean;
  /** Deflate level 0-9 for gzip (default 6; 1 is much faster on large volumes). */
  gzipLevel?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** Up to 79 ASCII characters stored in `descrip`. */
  description?: string;
  /** NIfTI intent code; default 1002 (NIFTI_INTENT_LABEL) */
  intentCode?: number;
}

export const NIFTI1_HEADER_BYTES = 348;
/** Data offset: header + the 4-byte extension flag (no extensions). */
export const NIFTI1_VOX_OFFSET = 352;

const DATATYPE: Record<string, { code: number; bitpix: number }> = {
  Uint8Array: { code: 2, bitpix: 8 },
  Int16Array: { code: 4, bitpix: 16 },
  Uint16Array: { code: 512, bitpix: 16 },
};

/** The 4x4 voxel-index-to-RAS affine (row-major, last row 0 0 0 1) for a geometry. */
export function rasAffineFromGeometry(geometry: ImageGeometry): number[][] {
  const { spacingMm: s, originLPS: o, directionLPS: d } = geometry;
  const flip = [-1, -1, 1];
  const rows: number[][] = [];
  for (let r = 0; r < 3; r++) {
    rows.push([flip[r]! * d[3 * r]! * s[0], flip[r]! * d[3 * r + 1]! * s[1], flip[r]! * d[3 * r + 2]! * s[2], flip[r]! * o[r]!]);
  }
  rows.push([0, 0, 0, 1]);
  return rows;
}

function det3(m: number[][]): number {
  return (
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
    m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!)
  );
}

export interface NiftiQuaternion {
  /** quatern_b, quatern_c, quatern_d (quatern_a = sqrt(1 - b^2 - c^2 - d^2) >= 0). */
  b: number;
  c: number;
  d: number;
  /** pixdim[0]: +1 for a right-handed rotation, -1 when the third axis was flipped. */
  qfac: 1 | -1;
}

/** Largest |column a . column b - delta_ab| of a 3x3 matrix (rows), and the pair where it occurs. */
function orthonormalityError(r: number[][]): { error: number; a: number; b: number; dot: number } {
  let worst = { error: 0, a: 0, b: 0, dot: 1 };
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      let dot = 0;
      for (let k = 0; k < 3; k++) dot += r[k]![a]! * r[k]![b]!;
      const error = Math.abs(dot - (a === b ? 1 : 0));
      if (error > worst.error) worst = { error, a, b, dot };
    }
  }
  return worst;
}

/** Tolerance on column dot products for a direction matrix to count as orthonormal (qform) or its columns as unit. */
const ORTHONORMAL_TOLERANCE = 1e-4;

/**
 * Quaternion of a 3x3 orthonormal matrix R (rows), NIfTI-1 style: if det(R) < 0 the third column is negated and
 * qfac = -1. Throws when R is not orthonormal within 1e-4.
 */
export function quaternionFromRotation(rIn: number[][], context = 'direction matrix'): NiftiQuaternion {
  const r = rIn.map((row) => [...row]);
  const o = orthonormalityError(r);
  if (o.error > ORTHONORMAL_TOLERANCE) {
    throw new Error(`${context}: columns are not orthonormal (column ${o.a} . column ${o.b} = ${o.dot.toFixed(6)}); a NIfTI qform cannot represent it`);
  }
  let qfac: 1 | -1 = 1;
  if (det3(r) < 0) {
    qfac = -1;
    for (let k = 0; k < 3; k++) r[k]![2] = -r[k]![2]!;
  }
  const [r00, r01, r02] = r[0] as [number, number, number];
  const [r10, r11, r12] = r[1] as [number, number, number];
  const [r20, r21, r22] = r[2] as [number, number, number];
  // Shepperd's method: pick the largest of 4 candidate squares for numerical stability.
  const trace = r00 + r11 + r22;
  let a: number, b: number, c: number, d: number;
  if (trace > 0) {
    const s = 2 * Math.sqrt(1 + trace);
    a = 0.25 * s;
    b = (r21 - r12) / s;
    c = (r02 - r20) / s;
    d = (r10 - r01) / s;
  } else if (r00 > r11 && r00 > r22) {
    const s = 2 * Math.sqrt(1 + r00 - r11 - r22);
    a = (r21 - r12) / s;
    b = 0.25 * s;
    c = (r01 + r10) / s;
    d = (r02 + r20) / s;
  } else if (r11 > r22) {
    const s = 2 * Math.sqrt(1 + r11 - r00 - r22);
    a = (r02 - r20) / s;
    b = (r01 + r10) / s;
    c = 0.25 * s;
    d = (r12 + r21) / s;
  } else {
    const s = 2 * Math.sqrt(1 + r22 - r00 - r11);
    a = (r10 - r01) / s;
    b = (r02 + r20) / s;
    c = (r12 + r21) / s;
    d = 0.25 * s;
  }
  if (a < 0) {
    b = -b;
    c = -c;
    d = -d;
  }
  return { b, c, d, qfac };
}

/** Rotation matrix (rows) of a NIfTI quaternion, with qfac applied to the third column (as NIfTI readers do). */
export function rotationFromQuaternion(q: NiftiQuaternion): number[][] {
  const { b, c, d } = q;
  const a = Math.sqrt(Math.max(0, 1 - b * b - c * c - d * d));
  const m = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  for (const row of m) row[2] = row[2]! * q.qfac;
  return m;
}

function writeAscii(dv: DataView, offset: number, text: string, maxBytes: number): void {
  for (let i = 0; i < Math.min(text.length, maxBytes - 1); i++) dv.setUint8(offset + i, text.charCodeAt(i) & 0x7f);
}

/** Encode a NIfTI-1 header (348 bytes) for the given geometry and data type. */
export function encodeNifti1Header(geometry: ImageGeometry, data: NiftiLabelArray, options: NiftiWriteOptions = {}): Uint8Array {
  const type = DATATYPE[data.constructor.name];
  if (!type) throw new Error(`NIfTI writer: unsupported voxel array type ${data.constructor.name} (use Uint8Array, Uint16Array or Int16Array)`);
  const [nx, ny, nz] = geometry.sizeIJK;
  for (const [n, name] of [[nx, 'i'], [ny, 'j'], [nz, 'k']] as const) {
    if (!Number.isInteger(n) || n < 1 || n > 32767) throw new Error(`NIfTI writer: sizeIJK ${name} = ${n} must be an integer in 1..32767`);
  }
  if (data.length !== nx * ny * nz) {
    throw new Error(`NIfTI writer: voxel array has ${data.length} elements but sizeIJK ${nx}x${ny}x${nz} needs ${nx * ny * nz}`);
  }
  for (const s of geometry.spacingMm) {
    if (!(s > 0) || !Number.isFinite(s)) throw new Error(`NIfTI writer: spacingMm ${geometry.spacingMm.join(',')} must be positive`);
  }
  if (geometry.directionLPS.length !== 9) throw new Error('NIfTI writer: directionLPS must have 9 elements');

  const affine = rasAffineFromGeometry(geometry);
  const d = geometry.directionLPS;
  if (!d.every(Number.isFinite)) throw new Error(`NIfTI writer: geometry.directionLPS ${d.join(',')} must be finite`);
  for (let c = 0; c < 3; c++) {
    const len = Math.hypot(d[c]!, d[3 + c]!, d[6 + c]!);
    if (!(Math.abs(len * len - 1) <= ORTHONORMAL_TOLERANCE)) {
      throw new Error(`NIfTI writer: geometry.directionLPS column ${c} has length ${len.toFixed(6)}, not 1 (direction columns must be unit vectors)`);
    }
  }
  const flip = [-1, -1, 1];
  const rotRAS = [0, 1, 2].map((r) => [0, 1, 2].map((c) => flip[r]! * d[3 * r + c]!));
  // Sheared (non-orthogonal) direction: sform only, qform_code 0 (see the module comment).
  const sheared = orthonormalityError(rotRAS).error > ORTHONORMAL_TOLERANCE;
  if (sheared && Math.abs(det3(rotRAS)) < 1e-6) throw new Error('NIfTI writer: geometry.directionLPS is singular');
  const q: NiftiQuaternion = sheared ? { b: 0, c: 0, d: 0, qfac: 1 } : quaternionFromRotation(rotRAS, 'NIfTI writer: geometry.directionLPS');

  const buf = new ArrayBuffer(NIFTI1_HEADER_BYTES);
  const dv = new DataView(buf);
  const le = true;
  dv.setInt32(0, NIFTI1_HEADER_BYTES, le);
  dv.setUint8(38, 'r'.charCodeAt(0));
  const dims = [3, nx, ny, nz, 1, 1, 1, 1];
  dims.forEach((v, i) => dv.setInt16(40 + 2 * i, v, le));
  dv.setInt16(68, options.intentCode ?? 1002, le);
  dv.setInt16(70, type.code, le);
  dv.setInt16(72, type.bitpix, le);
  const pixdim = [q.qfac, geometry.spacingMm[0], geometry.spacingMm[1], geometry.spacingMm[2], 0, 0, 0, 0];
  pixdim.forEach((v, i) => dv.setFloat32(76 + 4 * i, v, le));
  dv.setFloat32(108, NIFTI1_VOX_OFFSET, le);
  dv.setFloat32(112, 1, le); // scl_slope
  dv.setFloat32(116, 0, le); // scl_inter
  dv.setUint8(123, 2); // xyzt_units: NIFTI_UNITS_MM (spatial), no time unit
  let maxVal = 0;
  let minVal = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > maxVal) maxVal = v;
    if (v < minVal) minVal = v;
  }
  dv.setFloat32(124, maxVal, le); // cal_max
  dv.setFloat32(128, minVal, le); // cal_min
  writeAscii(dv, 148, options.description ?? 'remnant label map', 80);
  dv.setInt16(252, sheared ? 0 : 1, le); // qform_code NIFTI_XFORM_SCANNER_ANAT (0 = unknown when sheared)
  dv.setInt16(254, 1, le); // sform_code NIFTI_XFORM_SCANNER_ANAT
  if (!sheared) {
    dv.setFloat32(256, q.b, le);
    dv.setFloat32(260, q.c, le);
    dv.setFloat32(264, q.d, le);
    dv.setFloat32(268, affine[0]![3]!, le);
    dv.setFloat32(272, affine[1]![3]!, le);
    dv.setFloat32(276, affine[2]![3]!, le);
  }
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) dv.setFloat32(280 + 16 * r + 4 * c, affine[r]![c]!, le);
  writeAscii(dv, 344, 'n+1', 4);
  return new Uint8Array(buf);
}

/** Encode a complete .nii (or .nii.gz when options.gzip) file. */
export function encodeNifti1(data: NiftiLabelArray, geometry: ImageGeometry, options: NiftiWriteOptions = {}): Uint8Array {
  const headerBytes = encodeNifti1Header(geometry, data, options);
  const out = new Uint8Array(NIFTI1_VOX_OFFSET + data.byteLength);
  out.set(headerBytes, 0);
  // bytes 348..351: extension flag = 0 (no extensions)
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), NIFTI1_VOX_OFFSET);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('NIfTI writer: big-endian platforms are not supported');
  return options.gzip ? gzipSync(out, { level: options.gzipLevel ?? 6, mtime: 0 }) : out;
}
