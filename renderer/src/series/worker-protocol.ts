/**
 * Messages between the main thread (series-loader.ts) and the series worker (series.worker.ts).
 * File bytes go in and display slices come out as transferred ArrayBuffers (zero-copy), so neither side holds the
 * volume twice: the main thread writes each slice into the one preallocated Cornerstone scalar array.
 */
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import type { DisplayScalarType } from './display-slice.ts';

export interface FileError {
  file: string;
  message: string;
}

export type ToWorker =
  | {
      type: 'start';
      /** Files in index order along the normal; file i holds slice i (single-frame) or all slices (one multi-frame file). */
      files: string[];
      geometry: ImageGeometry;
      /** Absolute URL of the local itk-wasm assets (JPEG-family fallback), without a trailing '/'. */
      itkBaseUrl: string;
    }
  /**
   * Files read in one dicom:readFiles answer (wasm/src/transfer/file-batch.ts), entry i being file indices[i]; error
   * entries were already reported by the main thread (and are listed again in 'finish').
   */
  | { type: 'batch'; indices: number[]; bytes: ArrayBuffer }
  /** Every file has been handed over or failed to read (failedReads: their indices). */
  | { type: 'finish'; failedReads: number[] };

export type FromWorker =
  | {
      type: 'slices';
      /** First slice index (k) and number of consecutive slices in `values`. */
      k: number;
      count: number;
      scalarType: DisplayScalarType;
      values: Int16Array | Float32Array;
      /** Number of files these slices were decoded from (0 for the fallback reader's slices). */
      files: number;
    }
  | { type: 'file-error'; fileIndex: number; error: FileError }
  /** JPEG-family transfer syntax: no native decoder, so the files are collected and decoded by itk-wasm at the end. */
  | { type: 'collecting'; transferSyntax: string }
  | {
      type: 'done';
      /** Cross-file check of the decoded headers against the index geometry and order (same rules as readSeries). */
      check: { ok: true } | { ok: false; message: string };
      decoder: 'native' | 'fallback';
      modality: string;
      /** Non-fatal stack findings of the final check (oblique, tilt on a sheared grid, ...). */
      notes: string[];
    }
  | { type: 'failed'; message: string };
