/**
 * The one typed API between the renderer and the privileged side (Electron main process, or the loopback
 * HTTP server in browser mode). Runtime-neutral: no Node, no DOM, no Electron imports, so the preload, the
 * renderer's HTTP client and the main process all share it.
 *
 * Adding a channel: add an entry to `channels` (request schema + response type + method name), then a handler
 * in electron/src/main/handlers.ts. The preload and `RemnantApi` pick it up automatically; the renderer's HTTP client
 * (renderer/src/api/http-client.ts, which imports this file for types only) fails to type-check until its method
 * table lists the new channel.
 *
 * Binary answers: a handler may return a Uint8Array (dicom:readFile). IPC structured-clones it; the HTTP server sends
 * it as the raw body with Content-Type HTTP_BINARY_CONTENT_TYPE.
 */
import * as s from './schema.ts';
import type { Schema } from './schema.ts';
// Type-only: erased at runtime, so the contract stays free of Node code.
import type { IndexResult } from '../services/dicom-index/types.ts';
import type { CaseRecord, SegmentStyle } from '../services/workspace/types.ts';
import type { CosignResult, ReportPreview, ReviewerKeyInfo, ReviewerKeyList, SignExportResult, SignedReportEntry } from '../services/report/app-types.ts';

export type { CaseRecord, SegmentStyle, CosignResult, ReportPreview, ReviewerKeyInfo, ReviewerKeyList, SignExportResult, SignedReportEntry };

export type Transport = 'ipc' | 'http';

declare const responseTag: unique symbol;

export interface ChannelSpec<M extends string, Req, Res> {
  /** Name of the method on `window.remnant` / the HTTP client. */
  readonly method: M;
  readonly summary: string;
  readonly request: Schema<Req>;
  /** Transports the channel is offered on; others answer `unavailable`. */
  readonly transports: readonly Transport[];
  /** Phantom: the response type, never present at runtime. */
  readonly [responseTag]?: Res;
}

export interface EventSpec<M extends string, P> {
  readonly method: M;
  readonly summary: string;
  readonly [responseTag]?: P;
}

/** Curried so the response type is explicit while method and request are inferred. */
const channel =
  <Res>() =>
  <const M extends string, Req>(spec: { method: M; summary: string; request: Schema<Req>; transports: readonly Transport[] }): ChannelSpec<M, Req, Res> =>
    spec;
const event =
  <P>() =>
  <const M extends string>(spec: { method: M; summary: string }): EventSpec<M, P> =>
    spec;

/** JSON value: what crosses both transports. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The dicom-index report (electron/src/services/dicom-index/types.ts; JSON form documented in docs/index-json.md),
 * plus `baseDir`: the absolute folder its relative file paths are relative to (the root itself, or the folder of a
 * DICOMDIR / single file given as the root).
 */
export interface DicomIndexReport extends IndexResult {
  baseDir: string;
}

export interface IndexProgress {
  rootPath: string;
  /** 'started' before the scan, 'finished' with the counts once it is done. */
  phase: 'started' | 'finished';
  filesScanned: number;
  /** null while the total is still unknown. */
  filesTotal: number | null;
}

export interface AppInfo {
  version: string;
  coreVersion: string;
  platform: string;
  transport: Transport;
}

export const MAX_PATH_LENGTH = 4096;
/** Files per dicom:readFiles request (a request body of paths stays far below the browser-mode body limit). */
export const MAX_BATCH_FILES = 64;

/** An open workspace: its folder, its cases, and case files that could not be read (never skipped silently). */
export interface WorkspaceInfo {
  root: string;
  cases: CaseRecord[];
  problems: string[];
}

export interface SegmentationRecordAnswer {
  /** Snapshot generation after the operation (autosave compacts every N operations). */
  generation: number;
  undoCount: number;
  redoCount: number;
}

/** Largest base64 edit entry accepted (a whole-volume edit of a 512x512x600 grid stays far below). */
export const MAX_EDIT_ENTRY_BASE64 = 192 * 1024 * 1024;

const ID = s.string({ minLength: 1, maxLength: 64 });
const UID = s.string({ minLength: 1, maxLength: 64 });
const VEC3 = s.array(s.number(), { minItems: 3, maxItems: 3 });
const DICOM_ANTHROPOMETRICS = s.optional(
  s.object({
    patientSizeM: s.optional(s.number({ min: 0 })),
    patientWeightKg: s.optional(s.number({ min: 0 })),
    patientSex: s.optional(s.string({ maxLength: 16 })),
  }),
);
const CASE_TIMEPOINT = { caseId: ID, timepointId: ID };
/** One segment's name, colour, visibility and lock (the service checks keys and uniqueness: workspace.ts). */
const SEGMENT_STYLE = s.object({
  key: s.string({ minLength: 3, maxLength: 10 }),
  name: s.string({ minLength: 1, maxLength: 64 }),
  color: s.array(s.number({ integer: true, min: 0, max: 255 }), { minItems: 3, maxItems: 3 }),
  visible: s.boolean(),
  locked: s.boolean(),
});

/** The stored segment list of a timepoint: null when none was stored yet; `problem` names a damaged segments.json. */
export interface SegmentStylesAnswer {
  segments: SegmentStyle[] | null;
  problem: string | null;
}

/** Largest .p12 accepted by keys:import, as base64 (a keystore with a long CA chain stays far below). */
export const MAX_P12_BASE64 = 256 * 1024;
/**
 * A keystore passphrase: only ever in the request body of the call that needs it (keys:create, keys:import,
 * report:sign, report:cosign); never stored, never logged, never echoed in an error.
 */
const PASSPHRASE = s.string({ minLength: 1, maxLength: 1024 });
const NAME = s.string({ minLength: 1, maxLength: 128 });
const KEY_ID = s.string({ minLength: 16, maxLength: 16 });
const SIGNER = { keyId: KEY_ID, passphrase: PASSPHRASE, signerName: NAME, signerRole: s.string({ minLength: 1, maxLength: 64 }), meaning: s.string({ minLength: 1, maxLength: 256 }) };

export const channels = {
  'dicom:index': channel<DicomIndexReport>()({
    method: 'indexDicom',
    summary: 'scan a folder or DICOMDIR and report studies, series and problems',
    request: s.object({ rootPath: s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }) }),
    transports: ['ipc', 'http'],
  }),
  'dialog:openFolder': channel<{ path: string | null }>()({
    method: 'openFolder',
    summary: 'native folder picker; path is null when cancelled',
    request: s.none(),
    transports: ['ipc'],
  }),
  'dicom:readFile': channel<Uint8Array>()({
    method: 'readDicomFile',
    summary: 'bytes of one file lying under a folder indexed in this run (others are refused); HTTP answers application/octet-stream',
    request: s.object({ path: s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }) }),
    transports: ['ipc', 'http'],
  }),
  'dicom:readFiles': channel<Uint8Array>()({
    method: 'readDicomFiles',
    summary: 'bytes of up to MAX_BATCH_FILES files, same allow-list as dicom:readFile, in one binary answer (wasm/src/transfer/file-batch.ts; a refused or missing file is an error entry, the others are still read)',
    request: s.object({ paths: s.array(s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }), { minItems: 1, maxItems: MAX_BATCH_FILES }) }),
    transports: ['ipc', 'http'],
  }),
  'workspace:open': channel<WorkspaceInfo>()({
    method: 'openWorkspace',
    summary: 'open (or create, when the folder is empty) a workspace folder; closes the previous one',
    request: s.object({ rootPath: s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }) }),
    transports: ['ipc', 'http'],
  }),
  'workspace:info': channel<WorkspaceInfo>()({
    method: 'getWorkspace',
    summary: 'the open workspace and its cases',
    request: s.none(),
    transports: ['ipc', 'http'],
  }),
  'workspace:createCase': channel<CaseRecord>()({
    method: 'createCase',
    summary: 'new case for a subject id; anthropometrics prefilled from the DICOM values given',
    request: s.object({ subjectId: ID, dicom: DICOM_ANTHROPOMETRICS }),
    transports: ['ipc', 'http'],
  }),
  'workspace:getCase': channel<CaseRecord>()({
    method: 'getCase',
    summary: 'one case of the open workspace',
    request: s.object({ caseId: ID }),
    transports: ['ipc', 'http'],
  }),
  'workspace:updateAnthropometrics': channel<CaseRecord>()({
    method: 'updateAnthropometrics',
    summary: 'user edits of height (m), weight (kg), sex and the chemotherapy flag',
    request: s.object({
      caseId: ID,
      heightM: s.optional(s.nullable(s.number({ min: 0.3, max: 2.8 }))),
      weightKg: s.optional(s.nullable(s.number({ min: 1, max: 500 }))),
      sex: s.optional(s.nullable(s.literal('F', 'M', 'O'))),
      chemotherapy: s.optional(s.nullable(s.boolean())),
    }),
    transports: ['ipc', 'http'],
  }),
  'workspace:addTimepoint': channel<CaseRecord>()({
    method: 'addTimepoint',
    summary: 'add a timepoint (baseline, week 1, week 3 or a named custom one) with its scan date',
    request: s.object({
      caseId: ID,
      kind: s.literal('baseline', 'week-1', 'week-3', 'custom'),
      label: s.optional(s.string({ minLength: 1, maxLength: 64 })),
      scanDate: s.optional(s.nullable(s.string({ minLength: 10, maxLength: 10 }))),
    }),
    transports: ['ipc', 'http'],
  }),
  'workspace:bindSeries': channel<CaseRecord>()({
    method: 'bindSeries',
    summary: 'bind a timepoint to a series by its UIDs; empty anthropometrics are filled from the DICOM values given',
    request: s.object({
      ...CASE_TIMEPOINT,
      studyInstanceUid: UID,
      seriesInstanceUid: UID,
      frameOfReferenceUid: UID,
      sourceFolder: s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }),
      dicom: DICOM_ANTHROPOMETRICS,
    }),
    transports: ['ipc', 'http'],
  }),
  'segmentation:open': channel<Uint8Array>()({
    method: 'openSegmentation',
    summary: 'open (recovering) or create the timepoint segmentation on the series grid; binary answer (wasm/src/transfer/segmentation-transfer.ts)',
    request: s.object({
      ...CASE_TIMEPOINT,
      geometry: s.object({ sizeIJK: s.array(s.number({ integer: true, min: 1, max: 65535 }), { minItems: 3, maxItems: 3 }), spacingMm: VEC3, originLPS: VEC3, directionLPS: s.array(s.number({ min: -1, max: 1 }), { minItems: 9, maxItems: 9 }) }),
    }),
    transports: ['ipc', 'http'],
  }),
  'segmentation:record': channel<SegmentationRecordAnswer>()({
    method: 'recordSegmentationOp',
    summary: 'autosave one committed operation (edit entry as base64, undo, redo); durable when answered',
    request: s.object({
      ...CASE_TIMEPOINT,
      op: s.literal('edit', 'undo', 'redo'),
      entryId: s.number({ integer: true, min: 1 }),
      entry: s.optional(s.string({ minLength: 4, maxLength: MAX_EDIT_ENTRY_BASE64 })),
    }),
    transports: ['ipc', 'http'],
  }),
  'segmentation:exportNifti': channel<{ path: string }>()({
    method: 'exportSegmentationNifti',
    summary: 'write the role labelmap as NIfTI (atomically) into the timepoint exports folder of the workspace',
    request: s.object({ ...CASE_TIMEPOINT, fileName: s.optional(s.string({ minLength: 5, maxLength: 128 })) }),
    transports: ['ipc', 'http'],
  }),
  'segmentation:close': channel<{ closed: boolean }>()({
    method: 'closeSegmentation',
    summary: 'close the timepoint segmentation store',
    request: s.object(CASE_TIMEPOINT),
    transports: ['ipc', 'http'],
  }),
  'segmentation:getSegmentStyles': channel<SegmentStylesAnswer>()({
    method: 'getSegmentStyles',
    summary: 'the stored names, colours, visibility and locks of the timepoint segments (null before the first save)',
    request: s.object(CASE_TIMEPOINT),
    transports: ['ipc', 'http'],
  }),
  'segmentation:saveSegmentStyles': channel<SegmentStylesAnswer>()({
    method: 'saveSegmentStyles',
    summary: 'store the names, colours, visibility and locks of the timepoint segments (atomic replace of segments.json)',
    request: s.object({ ...CASE_TIMEPOINT, segments: s.array(SEGMENT_STYLE, { maxItems: 248 }) }),
    transports: ['ipc', 'http'],
  }),
  'keys:list': channel<ReviewerKeyList>()({
    method: 'listReviewerKeys',
    summary: 'reviewer keys of the workspace keystore folder: subject, validity, fingerprint, expired or not',
    request: s.none(),
    transports: ['ipc', 'http'],
  }),
  'keys:create': channel<ReviewerKeyInfo>()({
    method: 'createReviewerKey',
    summary: 'create an RSA-3072 key with a self-signed reviewer certificate, stored encrypted under the passphrase (never stored)',
    request: s.object({
      commonName: s.string({ minLength: 1, maxLength: 64 }),
      organization: s.string({ minLength: 1, maxLength: 64 }),
      role: s.optional(s.string({ maxLength: 64 })),
      country: s.optional(s.string({ minLength: 2, maxLength: 2 })),
      email: s.optional(s.string({ minLength: 3, maxLength: 128 })),
      validDays: s.number({ integer: true, min: 1, max: 3650 }),
      passphrase: s.string({ minLength: 8, maxLength: 1024 }),
    }),
    transports: ['ipc', 'http'],
  }),
  'keys:import': channel<ReviewerKeyInfo>()({
    method: 'importReviewerKey',
    summary: 'add a PKCS#12 (bytes as base64) to the keystore folder as is; the passphrase only checks that it opens',
    request: s.object({
      fileName: s.string({ minLength: 1, maxLength: 255 }),
      p12Base64: s.string({ minLength: 4, maxLength: MAX_P12_BASE64 }),
      passphrase: PASSPHRASE,
      role: s.optional(s.string({ maxLength: 64 })),
    }),
    transports: ['ipc', 'http'],
  }),
  'report:preview': channel<ReportPreview>()({
    method: 'previewReport',
    summary: 'measure the timepoint from its autosaved segmentation and return what Sign & export will sign (report data, key images)',
    request: s.object(CASE_TIMEPOINT),
    transports: ['ipc', 'http'],
  }),
  'report:sign': channel<SignExportResult>()({
    method: 'signAndExportReport',
    summary: 'sign the previewed report and write PDF, JSON + .p7s, labels, SEG, SR, encapsulated PDF, EDC atomically; lists the files',
    request: s.object({ previewId: s.string({ minLength: 32, maxLength: 32 }), ...SIGNER, outDir: s.optional(s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH })) }),
    transports: ['ipc', 'http'],
  }),
  'report:list': channel<SignedReportEntry[]>()({
    method: 'listSignedReports',
    summary: 'signed report PDFs in the timepoint exports folder, with their signature count',
    request: s.object(CASE_TIMEPOINT),
    transports: ['ipc', 'http'],
  }),
  'report:cosign': channel<CosignResult>()({
    method: 'cosignReport',
    summary: 'append a co-signature revision to a signed report of the timepoint (second reviewer, adjudicator)',
    request: s.object({ ...CASE_TIMEPOINT, pdfPath: s.string({ minLength: 1, maxLength: MAX_PATH_LENGTH }), ...SIGNER }),
    transports: ['ipc', 'http'],
  }),
  'app:info': channel<AppInfo>()({
    method: 'getAppInfo',
    summary: 'application, core and platform versions and the active transport',
    request: s.none(),
    transports: ['ipc', 'http'],
  }),
} as const;

export const events = {
  'index:progress': event<IndexProgress>()({ method: 'onIndexProgress', summary: 'progress of a running dicom:index' }),
  'folder:opened': event<{ path: string }>()({ method: 'onFolderOpened', summary: 'the user picked a folder with File > Open folder…' }),
} as const;

export type Channels = typeof channels;
export type Events = typeof events;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof events;
export type RequestOf<C extends ChannelName> = Channels[C] extends ChannelSpec<string, infer Req, unknown> ? Req : never;
export type ResponseOf<C extends ChannelName> = Channels[C] extends ChannelSpec<string, unknown, infer Res> ? Res : never;
export type EventPayload<E extends EventName> = (typeof events)[E] extends EventSpec<string, infer P> ? P : never;

export type Unsubscribe = () => void;

type MethodFor<C extends ChannelName> = [RequestOf<C>] extends [void]
  ? () => Promise<ResponseOf<C>>
  : (request: RequestOf<C>) => Promise<ResponseOf<C>>;

/** What the renderer sees as `window.remnant` (Electron) or gets from the HTTP client (browser mode). */
export type RemnantApi = { readonly [C in ChannelName as Channels[C]['method']]: MethodFor<C> } & {
  readonly [E in EventName as (typeof events)[E]['method']]: (listener: (payload: EventPayload<E>) => void) => Unsubscribe;
};

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(channels, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

// ---- Errors and the wire envelope (both transports) ----

export type ErrorCode = 'invalid-request' | 'unknown-channel' | 'forbidden' | 'unavailable' | 'failed';

export interface RemnantErrorInfo {
  code: ErrorCode;
  channel: string;
  message: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: RemnantErrorInfo };

/** Thrown by the preload and the HTTP client when a call fails; `code` tells the UI what happened. */
export class RemnantApiError extends Error {
  readonly code: ErrorCode;
  readonly channel: string;
  constructor(info: RemnantErrorInfo) {
    super(`${info.channel}: ${info.message}`);
    this.name = 'RemnantApiError';
    this.code = info.code;
    this.channel = info.channel;
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  'invalid-request': 400,
  forbidden: 403,
  'unknown-channel': 404,
  failed: 500,
  unavailable: 501,
};

// ---- Wire names ----

/** The single ipcMain.handle channel; the contract channel name is its first argument. */
export const IPC_INVOKE = 'remnant:invoke';
/** The single main -> renderer event channel; the event name is its first argument. */
export const IPC_EVENT = 'remnant:event';
/** Browser mode: POST {HTTP_API_PREFIX}<channel>, GET {HTTP_EVENTS_PATH} (Server-Sent Events). */
export const HTTP_API_PREFIX = '/api/call/';
export const HTTP_EVENTS_PATH = '/api/events';
export const HTTP_TOKEN_HEADER = 'x-remnant-token';
/** Content-Type of a successful binary answer (a handler returned a Uint8Array); errors stay JSON envelopes. */
export const HTTP_BINARY_CONTENT_TYPE = 'application/octet-stream';
