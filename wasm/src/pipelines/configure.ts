/**
 * Local (offline) itk-wasm assets for the browser / web-worker runtime.
 *
 * In Node the `...Node` functions of the @itk-wasm/* packages load their pipelines (`<name>.js` + `<name>.wasm.zst`)
 * from the package's own `dist/pipelines` folder on disk, so nothing needs configuring there.
 *
 * In a browser the packages default to a CDN (https://cdn.jsdelivr.net/npm/@itk-wasm/...), which a medical desktop
 * app must never contact. `configureItkWasmAssets({ baseUrl })` points every package at LOCAL URLs. The renderer build
 * must serve these folders/files (see `ITK_WASM_ASSET_LAYOUT`) under `baseUrl`:
 *
 *   <baseUrl>/dicom/pipelines/                  <- node_modules/@itk-wasm/dicom/dist/pipelines/
 *   <baseUrl>/image-io/pipelines/               <- node_modules/@itk-wasm/image-io/dist/pipelines/
 *   <baseUrl>/morphological-contour-interpolation/pipelines/
 *                                               <- node_modules/@itk-wasm/morphological-contour-interpolation/dist/pipelines/
 *   <baseUrl>/itk-wasm-pipeline.worker.js       <- node_modules/itk-wasm/dist/pipeline/web-workers/bundles/itk-wasm-pipeline.worker.js
 *   <baseUrl>/mci/itk-wasm-pipeline.worker.js   <- node_modules/@itk-wasm/morphological-contour-interpolation/node_modules/itk-wasm/
 *                                                  dist/pipeline/web-workers/bundles/itk-wasm-pipeline.worker.js
 *      (morphological-contour-interpolation 2.0.0 pins its own itk-wasm 1.0.0-b.188; its worker protocol must match it)
 *
 * Only `<name>.js` and `<name>.wasm.zst` of the pipelines actually used are fetched (read-image-dicom-file-series,
 * morphological-contour-interpolation, and for image-io whichever reader is called). The worker bundles are self-contained
 * (zstd decoder embedded), so no further requests are made.
 *
 * `baseUrl` must be an absolute URL (e.g. `http://127.0.0.1:5173/itk` or `file:///.../itk` in a packaged app) or a
 * path relative to the page; it must not end with '/'.
 */
import * as dicom from '@itk-wasm/dicom';
import * as imageIo from '@itk-wasm/image-io';
import * as mci from '@itk-wasm/morphological-contour-interpolation';

export interface ItkWasmAssetEntry {
  /** Path under baseUrl (no leading slash). */
  servedPath: string;
  /** Source path relative to the repository's node_modules folder. */
  nodeModulesPath: string;
  kind: 'directory' | 'file';
}

/** What the renderer build must copy / serve under baseUrl. */
export const ITK_WASM_ASSET_LAYOUT: readonly ItkWasmAssetEntry[] = [
  { servedPath: 'dicom/pipelines', nodeModulesPath: '@itk-wasm/dicom/dist/pipelines', kind: 'directory' },
  { servedPath: 'image-io/pipelines', nodeModulesPath: '@itk-wasm/image-io/dist/pipelines', kind: 'directory' },
  {
    servedPath: 'morphological-contour-interpolation/pipelines',
    nodeModulesPath: '@itk-wasm/morphological-contour-interpolation/dist/pipelines',
    kind: 'directory',
  },
  {
    servedPath: 'itk-wasm-pipeline.worker.js',
    nodeModulesPath: 'itk-wasm/dist/pipeline/web-workers/bundles/itk-wasm-pipeline.worker.js',
    kind: 'file',
  },
  {
    servedPath: 'mci/itk-wasm-pipeline.worker.js',
    nodeModulesPath:
      '@itk-wasm/morphological-contour-interpolation/node_modules/itk-wasm/dist/pipeline/web-workers/bundles/itk-wasm-pipeline.worker.js',
    kind: 'file',
  },
];

export interface ItkWasmAssetUrls {
  dicomPipelinesUrl: string;
  imageIoPipelinesUrl: string;
  morphologicalContourInterpolationPipelinesUrl: string;
  /** Worker for @itk-wasm/dicom and @itk-wasm/image-io (itk-wasm at the top of node_modules). */
  pipelineWorkerUrl: string;
  /** Worker for @itk-wasm/morphological-contour-interpolation (its nested itk-wasm). */
  morphologicalContourInterpolationWorkerUrl: string;
}

/** URLs of the local assets for a given baseUrl, following ITK_WASM_ASSET_LAYOUT. */
export function itkWasmAssetUrls(baseUrl: string): ItkWasmAssetUrls {
  if (baseUrl.length === 0) throw new Error('configureItkWasmAssets: baseUrl is empty');
  if (baseUrl.endsWith('/')) throw new Error(`configureItkWasmAssets: baseUrl must not end with '/': ${baseUrl}`);
  if (/^https?:\/\//i.test(baseUrl) && !isLoopbackUrl(baseUrl)) {
    throw new Error(`configureItkWasmAssets: baseUrl must be local (loopback, file: or relative), got ${baseUrl}`);
  }
  const at = (p: string): string => `${baseUrl}/${p}`;
  return {
    dicomPipelinesUrl: at(ITK_WASM_ASSET_LAYOUT[0].servedPath),
    imageIoPipelinesUrl: at(ITK_WASM_ASSET_LAYOUT[1].servedPath),
    morphologicalContourInterpolationPipelinesUrl: at(ITK_WASM_ASSET_LAYOUT[2].servedPath),
    pipelineWorkerUrl: at(ITK_WASM_ASSET_LAYOUT[3].servedPath),
    morphologicalContourInterpolationWorkerUrl: at(ITK_WASM_ASSET_LAYOUT[4].servedPath),
  };
}

/** True for http(s) URLs whose host is 127.0.0.1, ::1 or localhost. */
export function isLoopbackUrl(url: string): boolean {
  const m = /^https?:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url);
  if (m === null) return false;
  const host = m[1].toLowerCase();
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

interface PackageUrlSetters {
  setPipelinesBaseUrl?: (url: string) => void;
  setPipelineWorkerUrl?: (url: string | null) => void;
}

/**
 * Browser / web worker: make @itk-wasm/dicom, @itk-wasm/image-io and @itk-wasm/morphological-contour-interpolation
 * load their pipelines and worker from local URLs. Returns the URLs set.
 * In Node the packages' entry points have no such setters (they read from disk); this is then a no-op that still
 * returns the URLs it would have set.
 */
export function configureItkWasmAssets(options: { baseUrl: string }): ItkWasmAssetUrls {
  const urls = itkWasmAssetUrls(options.baseUrl);
  const apply = (pkg: PackageUrlSetters, pipelinesUrl: string, workerUrl: string): void => {
    if (typeof pkg.setPipelinesBaseUrl === 'function') pkg.setPipelinesBaseUrl(pipelinesUrl);
    if (typeof pkg.setPipelineWorkerUrl === 'function') pkg.setPipelineWorkerUrl(workerUrl);
  };
  apply(dicom as PackageUrlSetters, urls.dicomPipelinesUrl, urls.pipelineWorkerUrl);
  apply(imageIo as PackageUrlSetters, urls.imageIoPipelinesUrl, urls.pipelineWorkerUrl);
  apply(mci as PackageUrlSetters, urls.morphologicalContourInterpolationPipelinesUrl, urls.morphologicalContourInterpolationWorkerUrl);
  return urls;
}
