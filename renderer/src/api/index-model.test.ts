import { describe, expect, it } from 'vitest';
import type { DicomIndexReport } from '../../../electron/src/ipc/contract.ts';
import { folderIndexFromReport, resolveIndexPath } from './index-model.ts';

type Stack = DicomIndexReport['studies'][number]['series'][number]['stacks'][number];

function stack(overrides: Partial<Stack>): Stack {
  return {
    stackNumber: 1,
    sopClassName: 'CT Image Storage',
    multiFrame: false,
    sliceCount: 3,
    rows: 4,
    columns: 5,
    spacingMm: { row: 0.5, col: 0.7, slice: 2 },
    sliceSpacingStatsMm: { median: 2, min: 2, max: 2, mean: 2 },
    sliceThicknessMm: 2.5,
    frameOfReferenceUid: '1.2.3',
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    geometry: { sizeIJK: [5, 4, 3], spacingMm: [0.7, 0.5, 2], originLPS: [0, 0, 0], directionLPS: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
    transferSyntaxes: [{ uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian' }],
    lossy: false,
    localizer: false,
    rescale: [{ slope: 1, intercept: -1024, type: 'HU' }],
    problems: [],
    files: ['s/2.dcm', 's/1.dcm', '/elsewhere/3.dcm'],
    sliceKeys: ['1.2.3.2', '1.2.3.1', '1.2.3.3'],
    skippedDuplicateFiles: [],
    ...overrides,
  };
}

function report(stacks: Stack[], identifying: string[] = []): DicomIndexReport {
  return {
    schemaVersion: 1,
    root: '/data/DICOMDIR',
    baseDir: '/data',
    fileCount: 9,
    studies: [
      {
        studyInstanceUid: 'st',
        studyDate: '20200101',
        studyTime: '',
        studyDescription: 'CT abdomen',
        patient: { anthropometrics: {}, identifyingFieldsPresent: identifying, patientIdentityRemoved: null, deidentificationMethod: [] },
        series: [{ seriesInstanceUid: 'se', seriesNumber: 3, modality: 'CT', seriesDescription: 'PV', seriesDate: '', seriesTime: '', stacks }],
      },
    ],
    nonImageObjects: [],
    mediaDirectories: [],
    unreadableFiles: [{ path: 's/broken.dcm', code: 'truncated', reason: 'file ends inside Pixel Data' }],
  };
}

describe('folderIndexFromReport', () => {
  it('maps a stack to a series with absolute files in slice order, geometry and spacing', () => {
    const index = folderIndexFromReport(report([stack({})]));
    const series = index.studies[0]!.series[0]!;
    expect(series.id).toBe('se');
    expect(series.files).toEqual(['/data/s/2.dcm', '/data/s/1.dcm', '/elsewhere/3.dcm']);
    expect(series.spacingMm).toEqual([0.7, 0.5, 2]);
    expect(series.geometry?.sizeIJK).toEqual([5, 4, 3]);
    expect(series.seriesNumber).toBe(3);
    expect(series.warnings).toEqual([]);
    expect(index.skipped).toEqual([{ path: '/data/s/broken.dcm', reason: 'truncated: file ends inside Pixel Data' }]);
  });

  it('turns problems, lossy compression and identifying data into warnings', () => {
    const lossy = stack({
      lossy: true,
      transferSyntaxes: [{ uid: '1.2.840.10008.1.2.4.50', name: 'JPEG Baseline' }],
      problems: [
        { code: 'gap', message: '1 missing slice between 10 and 14 mm' },
        { code: 'tilt', message: 'gantry tilt 15 deg' },
      ],
    });
    const warnings = folderIndexFromReport(report([lossy], ['PatientName', 'PatientID'])).studies[0]!.series[0]!.warnings;
    expect(warnings.map((w) => w.kind)).toEqual(['gap', 'tilt', 'lossy', 'identifying']);
    expect(warnings[2]!.message).toContain('JPEG Baseline');
    expect(warnings[3]!.message).toBe('identifying data present: PatientName, PatientID');
  });

  it('gives each stack of a multi-stack series its own id', () => {
    const index = folderIndexFromReport(report([stack({}), stack({ stackNumber: 2, sliceCount: 1, geometry: null, files: ['loc.dcm'] })]));
    const ids = index.studies[0]!.series.map((s) => s.id);
    expect(ids).toEqual(['se#1', 'se#2']);
    expect(index.studies[0]!.series[1]!.warnings.map((w) => w.kind)).toEqual(['other']);
  });
});

describe('resolveIndexPath', () => {
  it('joins relative entries to the base and keeps absolute ones', () => {
    expect(resolveIndexPath('/data/', 'a/b.dcm')).toBe('/data/a/b.dcm');
    expect(resolveIndexPath('C:\\data', 'a/b.dcm')).toBe('C:\\data\\a\\b.dcm');
    expect(resolveIndexPath('/data', 'D:\\x.dcm')).toBe('D:\\x.dcm');
    expect(resolveIndexPath('/data', '/x/y.dcm')).toBe('/x/y.dcm');
  });
});
