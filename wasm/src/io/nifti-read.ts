import { gunzipSync } from 'fflate';
import type { ImageGeometry, Vec3 } from '../geometry/types.ts';

/**
 * ImageGeometry from a voxel-to-LPS affine: pointLPS = matrix * indexIJK + offsetLPS, matrix row-major 3x3 whose
 * column c is the LPS step (mm) of index axis c. Spacing is the column length, direction the normalised column.
 */
export function geometryFromLpsAffine(sizeIJK: Vec3, matrix: readonly number[], offsetLPS: Vec3, what: string): ImageGeometry {
  const spacingMm: Vec3 = [0, 0, 0];
  const directionLPS = new Array<number>(9).fill(0);
  for (let c = 0; c < 3; c++) {
    const len = Math.hypot(matrix[c], matrix[3 + c], matrix[6 + c]);
    if (!(len > 0) || !Number.isFinite(len)) throw new Error(`${what}: voxel axis ${'ijk'[c]} has zero or invalid length in the affine`);
    spacingMm[c] = len;
    for (let r = 0; r < 3; r++) directionLPS[3 * r + c] = matrix[3 * r + c] / len;
  }
  return { sizeIJK: [...sizeIJK] as Vec3, spacingMm, originLPS: [...offsetLPS] as Vec3, directionLPS };
}

/** RAS <-> LPS: negate the first two world coordinates (rows 0 and 1 of the affine). */
export function rasAffineToLps(matrixRAS: readonly number[], offsetRAS: Vec3): { matrix: number[]; offset: Vec3 } {
  const matrix = matrixRAS.map((v, idx) => (idx < 6 ? -v : v));
  return { matrix, offset: [-offsetRAS[0], -offsetRAS[1], offsetRAS[2]] };
}

/** Voxel arrays a NIfTI file can hold that we read (stored values, before scl_slope/scl_inter). */
export type NiftiDataArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface NiftiVolume {
  version: 1 | 2;
  /** Voxel-to-LPS geometry (NIfTI world space is RAS; converted). */
  geometry: ImageGeometry;
  /** Which header transform defined the geometry: sform (sform_code > 0), else qform (qform_code > 0), else pixdim only. */
  orientationSource: 'sform' | 'qform' | 'pixdim';
  sformCode: number;
  qformCode: number;
  datatype: number;
  datatypeName: string;
  /** Stored voxel values, i fastest, then j, then k (NIfTI order). */
  data: NiftiDataArray;
  /** value = stored * sclSlope + sclInter; slope 1, inter 0 when the header's scl_slope is 0 or not finite (NIfTI rule). */
  sclSlope: number;
  sclInter: number;
  littleEndian: boolean;
  /** How the geometry was derived, e.g. "NIfTI-1 sform (code 1), RAS->LPS". */
  notes: string[];
  /** Non-fatal problems a user should see (e.g. no orientation in the header). */
  warnings: string[];
}

interface DatatypeInfo {
  name: string;
  bytes: number;
  make: (buffer: ArrayBuffer, count: number) => NiftiDataArray;
  get: (view: DataView, offset: number, littleEndian: boolean) => number | bigint;
}

const DATATYPES: Record<number, DatatypeInfo> = {
  2: { name: 'uint8', bytes: 1, make: (b, n) => new Uint8Array(b, 0, n), get: (v, o) => v.getUint8(o) },
  4: { name: 'int16', bytes: 2, make: (b, n) => new Int16Array(b, 0, n), get: (v, o, le) => v.getInt16(o, le) },
  8: { name: 'int32', bytes: 4, make: (b, n) => new Int32Array(b, 0, n), get: (v, o, le) => v.getInt32(o, le) },
  16: { name: 'float32', bytes: 4, make: (b, n) => new Float32Array(b, 0, n), get: (v, o, le) => v.getFloat32(o, le) },
  64: { name: 'float64', bytes: 8, make: (b, n) => new Float64Array(b, 0, n), get: (v, o, le) => v.getFloat64(o, le) },
  256: { name: 'int8', bytes: 1, make: (b, n) => new Int8Array(b, 0, n), get: (v, o) => v.getInt8(o) },
  512: { name: 'uint16', bytes: 2, make: (b, n) => new Uint16Array(b, 0, n), get: (v, o, le) => v.getUint16(o, le) },
  768: { name: 'uint32', bytes: 4, make: (b, n) => new Uint32Array(b, 0, n), get: (v, o, le) => v.getUint32(o, le) },
  1024: { name: 'int64', bytes: 8, make: (b, n) => new BigInt64Array(b, 0, n), get: (v, o, le) => v.getBigInt64(o, le) },
  1280: { name: 'uint64', bytes: 8, make: (b, n) => new BigUint64Array(b, 0, n), get: (v, o, le) => v.getBigUint64(o, le) },
};

const UNSUPPORTED_DATATYPES: Record<number, string> = {
  1: 'binary (1 bit)',
  32: 'complex64',
  128: 'RGB24',
  1536: 'float128',
  1792: 'complex128',
  2048: 'complex256',
  2304: 'RGBA32',
};

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzip (runtime-neutral, fflate) with an error naming the file. */
export function gunzipNamed(bytes: Uint8Array, fileName: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new Error(`${fileName}: gzip data is corrupt or truncated (${(e as Error).message})`);
  }
}

/** Recognises an (uncompressed) NIfTI-1/2 header: 1 or 2, or 0 if the bytes are not NIfTI. */
export function niftiVersion(bytes: Uint8Array): 0 | 1 | 2 {
  if (bytes.length < 348) return 0;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = v.getInt32(0, true);
  const be = v.getInt32(0, false);
  if ((le === 348 || be === 348) && bytes[344] === 0x6e && (bytes[345] === 0x2b || bytes[345] === 0x69) && bytes[346] === 0x31) return 1;
  if ((le === 540 || be === 540) && bytes[4] === 0x6e && (bytes[5] === 0x2b || bytes[5] === 0x69) && bytes[6] === 0x32) return 2;
  return 0;
}

interface RawHeader {
  version: 1 | 2;
  littleEndian: boolean;
  singleFile: boolean;
  dim: number[];
  datatype: number;
  bitpix: number;
  pixdim: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  quatern: Vec3;
  qoffset: Vec3;
  srow: number[][];
}

function readHeader(bytes: Uint8Array, fileName: string): RawHeader {
  const version = niftiVersion(bytes);
  if (version === 0) {
    throw new Error(`${fileName}: not a NIfTI-1 or NIfTI-2 file (no valid sizeof_hdr 348/540 with magic n+1/ni1/n+2/ni2)`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = v.getInt32(0, true) === (version === 1 ? 348 : 540);
  if (version === 1) {
    const f32 = (o: number): number => v.getFloat32(o, le);
    return {
      version,
      littleEndian: le,
      singleFile: bytes[345] === 0x2b,
      dim: Array.from({ length: 8 }, (_, i) => v.getInt16(40 + 2 * i, le)),
      datatype: v.getInt16(70, le),
      bitpix: v.getInt16(72, le),
      pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
      voxOffset: f32(108),
      sclSlope: f32(112),
      sclInter: f32(116),
      qformCode: v.getInt16(252, le),
      sformCode: v.getInt16(254, le),
      quatern: [f32(256), f32(260), f32(264)],
      qoffset: [f32(268), f32(272), f32(276)],
      srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c))),
    };
  }
  if (bytes.length < 540) throw new Error(`${fileName}: NIfTI-2 header truncated (${bytes.length} bytes < 540)`);
  const f64 = (o: number): number => v.getFloat64(o, le);
  const i64 = (o: number): number => Number(v.getBigInt64(o, le));
  return {
    version,
    littleEndian: le,
    singleFile: bytes[5] === 0x2b,
    dim: Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i)),
    datatype: v.getInt16(12, le),
    bitpix: v.getInt16(14, le),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    qformCode: v.getInt32(344, le),
    sformCode: v.getInt32(348, le),
    quatern: [f64(352), f64(360), f64(368)],
    qoffset: [f64(376), f64(384), f64(392)],
    srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f64(400 + 32 * r + 8 * c))),
  };
}

/** qform rotation (NIfTI-1 standard, quaternion b,c,d with a = sqrt(1 - b^2 - c^2 - d^2)), row-major. */
export function quaternionToRotation(b: number, c: number, d: number): number[] {
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    // Numerically a 180-degree rotation: a = 0 and (b, c, d) renormalised, as in nifti1_io.
    const n = Math.hypot(b, c, d);
    b /= n;
    c /= n;
    d /= n;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  return [
    a * a + b * b - c * c - d * d,
    2 * (b * c - a * d),
    2 * (b * d + a * c),
    2 * (b * c + a * d),
    a * a + c * c - b * b - d * d,
    2 * (c * d - a * b),
    2 * (b * d - a * c),
    2 * (c * d + a * b),
    a * a + d * d - c * c - b * b,
  ];
}

/**
 * Reads a single-file NIfTI-1 or NIfTI-2 volume (.nii, or .nii.gz: gzip is detected from the bytes) into stored
 * values plus an LPS geometry. Orientation: sform if sform_code > 0, else qform if qform_code > 0, else pixdim
 * spacing on identity axes with a warning. 4D/5D files are accepted only if every extra dimension is 1.
 */
export function readNifti(input: Uint8Array, fileName: string): NiftiVolume {
  const bytes = isGzip(input) ? gunzipNamed(input, fileName) : input;
  const h = readHeader(bytes, fileName);
  const tag = `NIfTI-${h.version}`;
  if (!h.singleFile) {
    throw new Error(`${fileName}: ${tag} header/image pair (magic ni${h.version}); only single-file .nii/.nii.gz is supported`);
  }
  const ndim = h.dim[0];
  if (ndim < 1 || ndim > 7) throw new Error(`${fileName}: invalid ${tag} dim[0] = ${ndim}`);
  const size: Vec3 = [1, 1, 1];
  for (let i = 1; i <= ndim; i++) {
    const n = h.dim[i];
    if (!(n >= 1)) throw new Error(`${fileName}: invalid ${tag} dim[${i}] = ${n}`);
    if (i <= 3) size[i - 1] = n;
    else if (n !== 1) {
      throw new Error(`${fileName}: ${tag} has ${ndim} dimensions with dim[${i}] = ${n}; only a single 3D volume is supported (sizes ${h.dim.slice(1, ndim + 1).join('x')})`);
    }
  }
  const info = DATATYPES[h.datatype];
  if (!info) {
    const known = UNSUPPORTED_DATATYPES[h.datatype];
    throw new Error(`${fileName}: unsupported ${tag} datatype ${h.datatype}${known ? ` (${known})` : ''}`);
  }
  if (h.bitpix !== info.bytes * 8) {
    throw new Error(`${fileName}: ${tag} bitpix ${h.bitpix} does not match datatype ${info.name} (${info.bytes * 8} bits)`);
  }
  const count = size[0] * size[1] * size[2];
  const minOffset = h.version === 1 ? 348 : 540;
  const offset = Math.max(Math.floor(h.voxOffset), minOffset);
  const needed = offset + count * info.bytes;
  if (bytes.length < needed) {
    throw new Error(`${fileName}: ${tag} data truncated: ${size.join('x')} ${info.name} voxels need ${needed} bytes from vox_offset ${offset}, file has ${bytes.length}`);
  }

  const buffer = new ArrayBuffer(count * info.bytes);
  const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (h.littleEndian === hostLittle || info.bytes === 1) {
    new Uint8Array(buffer).set(bytes.subarray(offset, offset + count * info.bytes));
  } else {
    const src = new DataView(bytes.buffer, bytes.byteOffset + offset, count * info.bytes);
    const dst = new DataView(buffer);
    for (let i = 0, o = 0; i < count; i++, o += info.bytes) {
      const val = info.get(src, o, h.littleEndian);
      if (typeof val === 'bigint') {
        if (info.name === 'int64') dst.setBigInt64(o, val, hostLittle);
        else dst.setBigUint64(o, val, hostLittle);
      } else if (info.bytes === 2) {
        if (info.name === 'int16') dst.setInt16(o, val, hostLittle);
        else dst.setUint16(o, val, hostLittle);
      } else if (info.bytes === 4) {
        if (info.name === 'float32') dst.setFloat32(o, val, hostLittle);
        else if (info.name === 'int32') dst.setInt32(o, val, hostLittle);
        else dst.setUint32(o, val, hostLittle);
      } else dst.setFloat64(o, val, hostLittle);
    }
  }
  const data = info.make(buffer, count);

  const notes: string[] = [];
  const warnings: string[] = [];
  let matrixRAS: number[];
  let offsetRAS: Vec3;
  let orientationSource: NiftiVolume['orientationSource'];
  if (h.sformCode > 0) {
    orientationSource = 'sform';
    matrixRAS = [0, 1, 2].flatMap((r) => h.srow[r].slice(0, 3));
    offsetRAS = [h.srow[0][3], h.srow[1][3], h.srow[2][3]];
    notes.push(`${tag} sform (sform_code ${h.sformCode}) RAS->LPS`);
  } else if (h.qformCode > 0) {
    orientationSource = 'qform';
    const r = quaternionToRotation(h.quatern[0], h.quatern[1], h.quatern[2]);
    const qfac = h.pixdim[0] < 0 ? -1 : 1;
    const sp = [h.pixdim[1], h.pixdim[2], h.pixdim[3] * qfac];
    matrixRAS = r.map((val, idx) => val * sp[idx % 3]);
    offsetRAS = [...h.qoffset] as Vec3;
    notes.push(`${tag} qform (qform_code ${h.qformCode}${qfac < 0 ? ', qfac -1' : ''}) RAS->LPS`);
  } else {
    orientationSource = 'pixdim';
    matrixRAS = [h.pixdim[1], 0, 0, 0, h.pixdim[2], 0, 0, 0, h.pixdim[3]];
    offsetRAS = [0, 0, 0];
    const w = `${tag} has neither sform nor qform (both codes 0): geometry taken from pixdim only (RAS identity axes, origin 0); it is unlikely to match a DICOM series`;
    notes.push(w);
    warnings.push(w);
  }
  for (let c = 0; c < 3; c++) {
    if (size[c] === 1 && !(Math.hypot(matrixRAS[c], matrixRAS[3 + c], matrixRAS[6 + c]) > 0)) {
      // A single-voxel axis with zero pixdim carries no geometry; give it unit length along its nominal direction.
      matrixRAS[4 * c] = 1;
    }
  }
  const lps = rasAffineToLps(matrixRAS, offsetRAS);
  const geometry = geometryFromLpsAffine(size, lps.matrix, lps.offset, `${fileName} (${tag} ${orientationSource})`);

  let sclSlope = h.sclSlope;
  let sclInter = h.sclInter;
  if (!Number.isFinite(sclSlope) || sclSlope === 0) {
    sclSlope = 1;
    sclInter = 0;
  } else if (!Number.isFinite(sclInter)) {
    sclInter = 0;
  }
  if (sclSlope !== 1 || sclInter !== 0) notes.push(`${tag} scl_slope ${sclSlope}, scl_inter ${sclInter} applied`);

  return {
    version: h.version,
    geometry,
    orientationSource,
    sformCode: h.sformCode,
    qformCode: h.qformCode,
    datatype: h.datatype,
    datatypeName: info.name,
    data,
    sclSlope,
    sclInter,
    littleEndian: h.littleEndian,
    notes,
    warnings,
  };
}
