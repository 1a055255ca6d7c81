/**
 * Test-only browser page entry (bundled by browser-no-network.test.ts with vite): configures local itk-wasm assets,
 * fetches the ct-3slice files from the local server and runs the web-worker reference reader and the contour
 * interpolation. No DOM use; results are published on globalThis for playwright.
 */
import { configureItkWasmAssets } from '../configure.ts';
import { readReferenceSeriesFromBytes } from '../reference-reader.ts';
import { runContourInterpolation } from '../../interpolate/fill-between-slices.ts';

interface MinimalResponse {
  ok: boolean;
  status: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}
type MinimalFetch = (url: string) => Promise<MinimalResponse>;

interface PageGlobals {
  fetch: MinimalFetch;
  location: { origin: string };
  runRemnantBrowserCheck?: (fileNames: string[]) => Promise<unknown>;
}

const g = globalThis as unknown as PageGlobals;

g.runRemnantBrowserCheck = async (fileNames: string[]): Promise<unknown> => {
  configureItkWasmAssets({ baseUrl: `${g.location.origin}/itk` });
  const files = await Promise.all(
    fileNames.map(async (name) => {
      const response = await g.fetch(`/data/${name}`);
      if (!response.ok) throw new Error(`GET /data/${name}: HTTP ${response.status}`);
      return { path: name, data: new Uint8Array(await response.arrayBuffer()) };
    }),
  );
  const series = await readReferenceSeriesFromBytes(files);
  series.webWorkerPool.terminateWorkers();
  let sum = 0;
  for (let p = 0; p < series.rescaledValues.length; p++) sum += Number(series.rescaledValues[p]);

  // Contour interpolation in a worker: a square painted on slices 0 and 4 of a 16x16x5 mask.
  const mask = new Uint8Array(16 * 16 * 5);
  for (const k of [0, 4]) for (let j = 4; j < 12; j++) for (let i = 4; i < 12; i++) mask[(k * 16 + j) * 16 + i] = 1;
  const interpolated = await runContourInterpolation(
    mask,
    { sizeIJK: [16, 16, 5], spacingMm: [1, 1, 1], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
    2,
  );
  let middleSliceVoxels = 0;
  for (let p = 2 * 256; p < 3 * 256; p++) if (interpolated[p] !== 0) middleSliceVoxels++;

  return {
    geometry: series.geometry,
    componentType: series.componentType,
    valueCount: series.rescaledValues.length,
    valueSum: sum,
    sortedFiles: series.sortedFiles,
    variant: series.provenance.variant,
    middleSliceVoxels,
  };
};
