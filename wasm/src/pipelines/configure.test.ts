import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRootDir } from '../node/test-data.ts';
import { ITK_WASM_ASSET_LAYOUT, configureItkWasmAssets, isLoopbackUrl, itkWasmAssetUrls } from './configure.ts';

describe('itk-wasm local asset layout', () => {
  it('every served asset exists in node_modules, including the pipelines we call', () => {
    for (const entry of ITK_WASM_ASSET_LAYOUT) {
      const p = path.join(repoRootDir, 'node_modules', entry.nodeModulesPath);
      expect(fs.existsSync(p), p).toBe(true);
      expect(fs.statSync(p).isDirectory()).toBe(entry.kind === 'directory');
    }
    const dicom = path.join(repoRootDir, 'node_modules', ITK_WASM_ASSET_LAYOUT[0].nodeModulesPath);
    expect(fs.existsSync(path.join(dicom, 'read-image-dicom-file-series.wasm.zst'))).toBe(true);
    const mci = path.join(repoRootDir, 'node_modules', ITK_WASM_ASSET_LAYOUT[2].nodeModulesPath);
    expect(fs.existsSync(path.join(mci, 'morphological-contour-interpolation.wasm.zst'))).toBe(true);
  });

  it('the worker bundles contain no remote URL', () => {
    for (const entry of ITK_WASM_ASSET_LAYOUT.filter((e) => e.kind === 'file')) {
      const text = fs.readFileSync(path.join(repoRootDir, 'node_modules', entry.nodeModulesPath), 'utf8');
      const remote = (text.match(/https?:\/\/[^\s'"`)]+/g) ?? []).filter((u) => !/^https?:\/\/localhost\b/.test(u));
      expect(remote, entry.nodeModulesPath).toEqual([]);
    }
  });

  it('builds URLs under baseUrl and refuses remote or malformed bases', () => {
    const urls = itkWasmAssetUrls('http://127.0.0.1:5173/itk');
    expect(urls.dicomPipelinesUrl).toBe('http://127.0.0.1:5173/itk/dicom/pipelines');
    expect(urls.morphologicalContourInterpolationWorkerUrl).toBe('http://127.0.0.1:5173/itk/mci/itk-wasm-pipeline.worker.js');
    expect(itkWasmAssetUrls('file:///opt/remnant/itk').pipelineWorkerUrl).toBe('file:///opt/remnant/itk/itk-wasm-pipeline.worker.js');
    expect(() => itkWasmAssetUrls('https://cdn.jsdelivr.net/npm')).toThrow(/must be local/);
    expect(() => itkWasmAssetUrls('/itk/')).toThrow(/must not end/);
    expect(isLoopbackUrl('http://localhost:1/x')).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1.evil.example/x')).toBe(false);
    // In Node the packages have no URL setters; configuring is harmless and returns the URLs.
    expect(configureItkWasmAssets({ baseUrl: 'http://127.0.0.1:1/itk' }).imageIoPipelinesUrl).toBe('http://127.0.0.1:1/itk/image-io/pipelines');
  });
});
