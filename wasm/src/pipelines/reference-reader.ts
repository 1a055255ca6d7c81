/**
 * Reference DICOM series reader: @itk-wasm/dicom readImageDicomFileSeries (ITK + GDCM), wrapped into our types.
 *
 * The reference returns the modality-LUT-applied values (GDCM applies RescaleSlope/Intercept, e.g. int32 HU for CT,
 * float when the slope is not an integer), NOT the stored integers. Our ScalarVolume keeps stored integers + rescale,
 * so comparisons are made in rescaled values: `stored * rescaleSlope + rescaleIntercept === reference value`
 * (see compareWithReference in ../series/compare.ts).
 *
 * Runtime-neutral part: conversion of the pipeline result, error type, and the web-worker variant taking bytes.
 * The Node variant (paths on disk) is wasm/src/node/reference-reader.ts.
 */
import * as dicom from '@itk-wasm/dicom';
import type { Image, WorkerPool } from 'itk-wasm';
import type { ImageGeometry } from '../geometry/types.ts';
import { geometryFromItkImage, scalarDataFromItkImage } from './itk-image.ts';
import type { ItkScalarArray } from './itk-image.ts';

export const REFERENCE_READER_NAME = '@itk-wasm/dicom readImageDicomFileSeries';

export interface ReferenceProvenance {
  reader: string;
  /** @itk-wasm/dicom package version that produced the values. */
  packageVersion: string;
  variant: 'node' | 'web-worker';
  /** Input files in the order they were given to the pipeline. */
  inputFiles: string[];
}

export interface ReferenceSeries {
  geometry: ImageGeometry;
  /** Values as returned by the pipeline (rescale already applied), voxel order i fastest, then j, then k. */
  rescaledValues: ItkScalarArray;
  /** itk component type of rescaledValues, e.g. 'int32', 'uint16', 'float32'. */
  componentType: string;
  /** File names in the pipeline's k order (as reported by the pipeline). */
  sortedFiles: string[];
  provenance: ReferenceProvenance;
}

/** A failure of the reference pipeline, carrying its stderr and the input file list. */
export class ReferenceReaderError extends Error {
  readonly stderr: string;
  readonly files: string[];
  constructor(message: string, stderr: string, files: string[], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ReferenceReaderError';
    this.stderr = stderr;
    this.files = files;
  }
}

/** "N files in DIR: first .. last" — short enough for an error message. */
export function summarizeFileList(files: readonly string[]): string {
  if (files.length === 0) return '0 files';
  const base = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const dir = (p: string): string => p.slice(0, Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'), 0));
  const dirs = new Set(files.map(dir));
  const where = dirs.size === 1 ? ` in ${[...dirs][0] || '.'}` : ` in ${dirs.size} folders`;
  if (files.length === 1) return `1 file${where}: ${base(files[0])}`;
  return `${files.length} files${where}: ${base(files[0])} .. ${base(files[files.length - 1])}`;
}

/** Message text of anything thrown by a pipeline (Error, emscripten numeric exception pointer, string). */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'number') return `wasm exception (pointer ${thrown}; no message in a release build)`;
  return String(thrown);
}

/** Convert the pipeline's outputs into a ReferenceSeries (validates size/buffer consistency). */
export function referenceSeriesFromItkResult(
  outputImage: Image | undefined,
  sortedFilenames: unknown,
  provenance: ReferenceProvenance,
): ReferenceSeries {
  const source = `${REFERENCE_READER_NAME} (${summarizeFileList(provenance.inputFiles)})`;
  if (outputImage === undefined || outputImage === null) {
    throw new ReferenceReaderError(`${source}: pipeline returned no image`, '', provenance.inputFiles);
  }
  const geometry = geometryFromItkImage(outputImage, source);
  const rescaledValues = scalarDataFromItkImage(outputImage, source);
  const sortedFiles = Array.isArray(sortedFilenames) ? sortedFilenames.map(String) : [];
  return { geometry, rescaledValues, componentType: outputImage.imageType.componentType, sortedFiles, provenance };
}

export interface ReferenceBytesOptions {
  /** Reuse an itk-wasm worker pool between calls (returned in the result). */
  webWorkerPool?: WorkerPool | null;
}

interface DicomBrowserApi {
  readImageDicomFileSeries?: (options: {
    inputImages: { path: string; data: Uint8Array }[];
    singleSortedSeries?: boolean;
    webWorkerPool?: WorkerPool | null;
  }) => Promise<{ outputImage: Image; sortedFilenames: unknown; webWorkerPool: WorkerPool }>;
}

/**
 * Web-worker variant (browser / renderer worker): read a series given as bytes. Call configureItkWasmAssets first so
 * that nothing is fetched from a CDN. Files should be given sorted by position along the slice normal (the pipeline
 * has been seen to fail on some series when given in reverse order).
 */
export async function readReferenceSeriesFromBytes(
  files: readonly { path: string; data: Uint8Array }[],
  options: ReferenceBytesOptions = {},
): Promise<ReferenceSeries & { webWorkerPool: WorkerPool }> {
  const api = dicom as DicomBrowserApi;
  const inputFiles = files.map((f) => f.path);
  if (files.length === 0) throw new ReferenceReaderError(`${REFERENCE_READER_NAME}: no input files`, '', []);
  if (typeof api.readImageDicomFileSeries !== 'function') {
    throw new Error(`${REFERENCE_READER_NAME}: the web-worker variant is not available in this runtime; in Node use readReferenceSeriesFromFiles (wasm/src/node)`);
  }
  // The worker pipeline takes ownership of the buffers it is given: pass copies so the caller's bytes stay intact.
  const inputImages = files.map((f) => ({ path: f.path, data: f.data.slice() }));
  let result: Awaited<ReturnType<NonNullable<DicomBrowserApi['readImageDicomFileSeries']>>>;
  try {
    result = await api.readImageDicomFileSeries({ inputImages, webWorkerPool: options.webWorkerPool ?? null });
  } catch (thrown) {
    const text = describeThrown(thrown);
    throw new ReferenceReaderError(`${REFERENCE_READER_NAME} failed on ${summarizeFileList(inputFiles)}: ${text}`, text, inputFiles, thrown);
  }
  const series = referenceSeriesFromItkResult(result.outputImage, result.sortedFilenames, {
    reader: REFERENCE_READER_NAME,
    packageVersion: dicom.version,
    variant: 'web-worker',
    inputFiles,
  });
  return { ...series, webWorkerPool: result.webWorkerPool };
}
