import type { StateCreator } from 'zustand';
import type { ReviewerKeyInfo } from '../../../electron/src/ipc/contract.ts';
import type { AppState } from './store.ts';

/** Reviewer keys of the open workspace and the Sign & export dialog state (no passphrase ever lives here). */
export interface ReportSlice {
  keys: ReviewerKeyInfo[];
  keyProblems: string[];
  keyError?: string;
  keyBusy: boolean;
  signDialogOpen: boolean;
  setReport(patch: Partial<Omit<ReportSlice, 'setReport'>>): void;
}

export const createReportSlice: StateCreator<AppState, [], [], ReportSlice> = (set) => ({
  keys: [],
  keyProblems: [],
  keyBusy: false,
  signDialogOpen: false,
  setReport: (patch) => set(patch),
});
