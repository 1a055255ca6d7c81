import { describe, expect, it } from 'vitest';
import type { CaseRecord as ServiceCase } from '../services/workspace/workspace.ts';
import { anthropometricsFromDicom } from '../services/workspace/workspace.ts';
import type { CaseRecord as WireCase } from './workspace-types.ts';

// Compile-time: the wire type and the service type are mutually assignable.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<ServiceCase, WireCase> = true;

describe('workspace wire types', () => {
  it('mirror the workspace service records (checked by the compiler) and prefill from DICOM values', () => {
    void same;
    expect(anthropometricsFromDicom({ patientSizeM: 1.7, patientWeightKg: 70, patientSex: 'f' })).toEqual({ heightM: 1.7, weightKg: 70, sex: 'F' });
  });
});
