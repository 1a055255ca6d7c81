/**
 * Runtime-neutral entry for the renderer's web worker: read a series from in-memory files.
 * Syntaxes without a native decoder use the itk-wasm web-worker reference reader (configureItkWasmAssets first),
 * unless `useReferenceFallback` is false.
 */
import { readReferenceSeriesFromBytes } from '../pipelines/reference-reader.ts';
import { readSeries } from './read-series.ts';
import type { ReadSeriesOptions, SeriesReadResult } from './read-series.ts';
import { bytesSource } from './source.ts';

export interface SeriesFileBytes {
  name: string;
  bytes: Uint8Array;
}

export async function readSeriesFromBytes(
  files: readonly SeriesFileBytes[],
  options: Omit<ReadSeriesOptions, 'fallback'> & { useReferenceFallback?: boolean } = {},
): Promise<SeriesReadResult> {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const { useReferenceFallback = true, ...rest } = options;
  return readSeries(
    files.map((f) => bytesSource(f.name, f.bytes)),
    {
      ...rest,
      ...(useReferenceFallback
        ? {
            fallback: async (sorted) => {
              const ref = await readReferenceSeriesFromBytes(sorted.map((s) => ({ path: s.name, data: byName.get(s.name) as Uint8Array })));
              ref.webWorkerPool.terminateWorkers();
              return ref;
            },
          }
        : {}),
    },
  );
}
