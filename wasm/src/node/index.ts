/**
 * Node entry of the core (CLI, Electron main process, tests, benches).
 *
 *   readSeriesFromFiles(paths, options)      fast path over files on disk (zero-copy reads into the volume);
 *                                            JPEG-family syntaxes fall back to the itk-wasm reference reader.
 *   readReferenceSeriesFromFiles(paths)      the itk-wasm reference reader (Node pipeline variant).
 *   fillBetweenSlices(labelmap, geometry, o) contour interpolation of one label (itk-wasm Node pipeline).
 *
 * The runtime-neutral equivalents for the renderer worker take bytes: readSeriesFromBytes (../series/read-series-bytes.ts),
 * readReferenceSeriesFromBytes (../pipelines/reference-reader.ts), fillBetweenSlices (../interpolate/fill-between-slices.ts),
 * after configureItkWasmAssets (../pipelines/configure.ts).
 */
import path from 'node:path';
import { readSeries } from '../series/read-series.ts';
import type { ReadSeriesOptions, SeriesReadResult } from '../series/read-series.ts';
import { fileSource } from './file-source.ts';
import type { FileSource } from './file-source.ts';
import { readReferenceSeriesFromFiles } from './reference-reader.ts';

export { readReferenceSeriesFromFiles } from './reference-reader.ts';
export type { ReferenceFilesOptions } from './reference-reader.ts';
export { fillBetweenSlices } from '../interpolate/fill-between-slices.ts';
export type { FillBetweenSlicesOptions, FillBetweenSlicesResult } from '../interpolate/fill-between-slices.ts';
export { SeriesReadError } from '../series/read-series.ts';
export type { ReadSeriesOptions, SeriesReadResult } from '../series/read-series.ts';
export { ReferenceReaderError } from '../pipelines/reference-reader.ts';
export type { ReferenceSeries } from '../pipelines/reference-reader.ts';

export interface ReadSeriesFromFilesOptions extends Omit<ReadSeriesOptions, 'fallback'> {
  /** Use the itk-wasm reference reader for syntaxes without a native decoder (default true). */
  useReferenceFallback?: boolean;
}

/** Read one DICOM series from files (paths of the series' instances, any order). */
export async function readSeriesFromFiles(paths: readonly string[], options: ReadSeriesFromFilesOptions = {}): Promise<SeriesReadResult> {
  const sources: FileSource[] = [];
  try {
    for (const p of paths) sources.push(fileSource(path.resolve(p)));
    const { useReferenceFallback = true, ...rest } = options;
    return await readSeries(sources, {
      ...rest,
      ...(useReferenceFallback ? { fallback: (sorted) => readReferenceSeriesFromFiles(sorted.map((s) => s.name)) } : {}),
    });
  } finally {
    for (const s of sources) s.close();
  }
}
