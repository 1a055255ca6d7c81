import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import type { FileError } from './minimal-reader.ts';
import type { LoadProgress } from './progress.ts';

export interface LoadRequest {
  type: 'load';
  files: Array<{ path: string; url: string; headers: Record<string, string> }>;
  /** Parallel fetches (HTTP/1.1 to 127.0.0.1: 6 keeps the socket pool busy without thrashing). */
  concurrency: number;
}

export interface LoadedVolumeMessage {
  type: 'done';
  geometry: ImageGeometry;
  modality: string;
  /** Modality-LUT-applied values (HU for CT): see modality-lut.ts. */
  scalars: Int16Array | Float32Array;
  rescaleSlope: number;
  rescaleIntercept: number;
  errors: FileError[];
  timings: { firstByteMs: number; readMs: number; totalMs: number };
}

export type WorkerMessage =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'file-error'; error: FileError }
  | LoadedVolumeMessage
  | { type: 'failed'; message: string; errors: FileError[] };
