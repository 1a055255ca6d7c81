/**
 * Transfer syntax table (DICOM PS3.5 §10 and PS3.6 Annex A): UID -> name, byte order, VR encoding, whether pixel data is
 * encapsulated (compressed fragments), whether the compression can be lossy, and whether our fast uncompressed path
 * (direct typed-array view on native pixel data) can read it without a codec.
 */
export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  littleEndian: boolean;
  explicitVr: boolean;
  /** The dataset after the file meta information is deflate-compressed (1.2.840.10008.1.2.1.99). */
  deflated: boolean;
  /** Pixel data is stored as encapsulated fragments (compressed). */
  encapsulated: boolean;
  /** The compression can lose information (any lossy codec, or a codec mode that may be lossy such as JPEG 2000 / HTJ2K). */
  lossy: boolean;
  /** Native (uncompressed) pixel data that a typed-array view can read directly once byte order is handled. */
  fastPathSupported: boolean;
}

function native(uid: string, name: string, littleEndian: boolean, explicitVr: boolean, deflated = false): TransferSyntaxInfo {
  return { uid, name, littleEndian, explicitVr, deflated, encapsulated: false, lossy: false, fastPathSupported: true };
}

function encapsulated(uid: string, name: string, lossy: boolean): TransferSyntaxInfo {
  return { uid, name, littleEndian: true, explicitVr: true, deflated: false, encapsulated: true, lossy, fastPathSupported: false };
}

const TABLE: readonly TransferSyntaxInfo[] = [
  native('1.2.840.10008.1.2', 'Implicit VR Little Endian', true, false),
  native('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', true, true),
  native('1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', true, true, true),
  native('1.2.840.10008.1.2.2', 'Explicit VR Big Endian (retired)', false, true),
  encapsulated('1.2.840.10008.1.2.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian', false),
  encapsulated('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', true),
  encapsulated('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', true),
  encapsulated('1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', false),
  encapsulated('1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)', false),
  encapsulated('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', false),
  encapsulated('1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless)', true),
  encapsulated('1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)', false),
  encapsulated('1.2.840.10008.1.2.4.91', 'JPEG 2000', true),
  encapsulated('1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component (Lossless Only)', false),
  encapsulated('1.2.840.10008.1.2.4.93', 'JPEG 2000 Part 2 Multi-component', true),
  encapsulated('1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)', false),
  encapsulated('1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)', false),
  encapsulated('1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000', true),
  encapsulated('1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level', true),
  encapsulated('1.2.840.10008.1.2.4.101', 'MPEG2 Main Profile / High Level', true),
  encapsulated('1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 High Profile', true),
  encapsulated('1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible High Profile', true),
  encapsulated('1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 High Profile for 2D Video', true),
  encapsulated('1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 High Profile for 3D Video', true),
  encapsulated('1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo High Profile', true),
  encapsulated('1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main Profile', true),
  encapsulated('1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10 Profile', true),
  encapsulated('1.2.840.10008.1.2.5', 'RLE Lossless', false),
  encapsulated('1.2.840.10008.1.2.8.1', 'Deflated Image Frame Compression', false),
];

const BY_UID = new Map(TABLE.map((t) => [t.uid, t]));

/** The table entry for a transfer syntax UID, or undefined when we do not know it (never guessed). */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  return BY_UID.get(uid.trim());
}

/** Human-readable name, or the UID itself for an unknown syntax. */
export function transferSyntaxName(uid: string): string {
  return transferSyntaxInfo(uid)?.name ?? `unknown transfer syntax ${uid}`;
}

export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BIG_ENDIAN = '1.2.840.10008.1.2.2';
