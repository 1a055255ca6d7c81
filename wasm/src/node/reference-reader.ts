/**
 * Node variant of the reference reader: @itk-wasm/dicom readImageDicomFileSeriesNode on paths (the pipeline .wasm is
 * read from node_modules/@itk-wasm/dicom/dist/pipelines; no network).
 */
import path from 'node:path';
import { readImageDicomFileSeriesNode, version as dicomPackageVersion } from '@itk-wasm/dicom';
import {
  REFERENCE_READER_NAME,
  ReferenceReaderError,
  describeThrown,
  referenceSeriesFromItkResult,
  summarizeFileList,
} from '../pipelines/reference-reader.ts';
import type { ReferenceSeries } from '../pipelines/reference-reader.ts';

/**
 * Run `body` while collecting what it writes to console.log/console.error (itk-wasm prints the pipeline's stderr there
 * when the wasm throws a C++ exception instead of returning). The output is also passed through.
 */
export async function withCapturedConsole<T>(body: () => Promise<T>): Promise<{ value?: T; thrown?: unknown; captured: string }> {
  const lines: string[] = [];
  const originalLog = console.log;
  const originalError = console.error;
  const capture = (...args: unknown[]): void => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' '));
  };
  console.log = capture;
  console.error = capture;
  try {
    const value = await body();
    return { value, captured: lines.join('\n') };
  } catch (thrown) {
    return { thrown, captured: lines.join('\n') };
  } finally {
    console.log = originalLog;
    console.error = originalError;
  }
}

export interface ReferenceFilesOptions {
  /**
   * Pass the files in the given order (default true). The pipeline sorts by itself, but has been seen to throw an
   * opaque wasm exception on tcia-hcc048 given in reverse order; give files sorted by position along the normal.
   */
  keepOrder?: boolean;
}

/** Read a DICOM series from files with itk-wasm (reference implementation). Errors carry the pipeline stderr. */
export async function readReferenceSeriesFromFiles(
  paths: readonly string[],
  options: ReferenceFilesOptions = {},
): Promise<ReferenceSeries> {
  const inputFiles = paths.map((p) => path.resolve(p));
  if (options.keepOrder === false) inputFiles.sort();
  if (inputFiles.length === 0) throw new ReferenceReaderError(`${REFERENCE_READER_NAME}: no input files`, '', []);
  const run = await withCapturedConsole(() => readImageDicomFileSeriesNode({ inputImages: inputFiles }));
  if (run.thrown !== undefined || run.value === undefined) {
    const text = describeThrown(run.thrown);
    const stderr = [run.thrown instanceof Error ? run.thrown.message : '', run.captured].filter((s) => s.length > 0).join('\n');
    throw new ReferenceReaderError(
      `${REFERENCE_READER_NAME} failed on ${summarizeFileList(inputFiles)}: ${text}${run.captured ? `\npipeline output:\n${run.captured}` : ''}`,
      stderr,
      inputFiles,
      run.thrown,
    );
  }
  if (run.value.outputImage === undefined) {
    throw new ReferenceReaderError(
      `${REFERENCE_READER_NAME} failed on ${summarizeFileList(inputFiles)}: non-zero return with empty stderr${run.captured ? `\n${run.captured}` : ''}`,
      run.captured,
      inputFiles,
    );
  }
  return referenceSeriesFromItkResult(run.value.outputImage, run.value.sortedFilenames, {
    reader: REFERENCE_READER_NAME,
    packageVersion: dicomPackageVersion,
    variant: 'node',
    inputFiles,
  });
}
