/**
 * keys:* and report:* through THE dispatch (validators + handlers) on both transports, against the real services on a
 * small CT phantom: invalid payloads are refused before any service code runs; reviewer keys are created and imported
 * into the workspace keystore folder (still encrypted; never the passphrase) and listed with validity and fingerprint,
 * an expired one marked; the preview measures the autosaved segmentation exactly as `remnant measure` measures it;
 * a wrong passphrase, an expired key or an unusable output folder give a clear message and write nothing; the signed
 * report, its labels and the exports are listed with their SHA-256 and `remnant verify` accepts them; co-signing adds
 * a revision; the next timepoint's preview finds the signed baseline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../ipc/dispatch.ts';
import type { CallContext, HandlerTable } from '../ipc/dispatch.ts';
import type { ChannelName, Envelope, ReportPreview, ReviewerKeyInfo, ReviewerKeyList, SignExportResult, SignedReportEntry, Transport } from '../ipc/contract.ts';
import { generatePhantom, writePhantomSeries } from '../../../fixtures/src/phantom/index.ts';
import type { Phantom } from '../../../fixtures/src/phantom/index.ts';
import { EditHistory, encodeHistoryEntry } from '../../../wasm/src/segmentation/history.ts';
import { emptyReport } from '../../../wasm/src/segmentation/constraints.ts';
import { bytesToBase64, decodeSegmentationWire } from '../../../wasm/src/transfer/segmentation-transfer.ts';
import type { ImageGeometry } from '../../../wasm/src/geometry/types.ts';
import { main as cliMain } from '../cli/main.ts';
import { createSelfSignedP12 } from '../services/signing/keystore.ts';
import { sha256Hex } from '../services/report/report-data.ts';
import { createHandlerTable } from './handlers.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remnant-report-h-'));
const seriesDir = path.join(tmp, 'ct');
const wsRoot = path.join(tmp, 'ws');
const PASS = 'correct horse battery';
let phantom: Phantom;
let geometry: ImageGeometry;
let table: HandlerTable;

const ctx = (transport: Transport): CallContext => ({ transport, emit: () => {} });
const raw = (channel: ChannelName, payload: unknown, transport: Transport = 'http'): Promise<Envelope<unknown>> => dispatch(table, channel, payload, ctx(transport));
async function call<T>(channel: ChannelName, payload: unknown, transport: Transport = 'ipc'): Promise<T> {
  const r = await raw(channel, payload, transport);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await cliMain(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

/** The phantom's truth labels as one 'import' edit, journalled through segmentation:record like the app does. */
async function importTruth(caseId: string, timepointId: string): Promise<void> {
  const opened = decodeSegmentationWire(await call<Uint8Array>('segmentation:open', { caseId, timepointId, geometry }));
  const lab = opened.labelmap;
  const changed: number[] = [];
  for (let v = 0; v < lab.length; v++) if (lab[v] !== phantom.labels[v]) changed.push(v);
  const indices = Uint32Array.from(changed);
  const history = EditHistory.fromState(opened.history);
  const entry = history.push({ tool: 'import', segment: 'truth.nii.gz', op: 'mixed', voxelsChanged: changed.length, indices, oldLabels: Uint8Array.from(changed, (v) => lab[v] as number), newLabels: Uint8Array.from(changed, (v) => phantom.labels[v] as number), report: emptyReport() }, Date.now());
  await call('segmentation:record', { caseId, timepointId, op: 'edit', entryId: entry.id, entry: bytesToBase64(encodeHistoryEntry(entry)) });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  phantom = generatePhantom({ rows: 40, columns: 40, sliceCount: 20, pixelSpacingMm: [7, 7], sliceSpacingMm: 9, seed: 'report-handlers' });
  geometry = phantom.geometry!;
  await writePhantomSeries(phantom, seriesDir);
  table = createHandlerTable({ version: '1', coreVersion: '1', platform: 'linux' });
  await call('workspace:open', { rootPath: wsRoot });
  await call('workspace:createCase', { subjectId: 'DR2-007', dicom: { patientSizeM: 1.13, patientWeightKg: 38 } });
  await call('workspace:updateAnthropometrics', { caseId: 'DR2-007', chemotherapy: false });
  await call('workspace:addTimepoint', { caseId: 'DR2-007', kind: 'baseline', scanDate: '2024-03-01' });
  const { studyInstanceUid, seriesInstanceUid, frameOfReferenceUid } = phantom.uids;
  await call('workspace:bindSeries', { caseId: 'DR2-007', timepointId: 'baseline', studyInstanceUid, seriesInstanceUid, frameOfReferenceUid, sourceFolder: seriesDir });
  await importTruth('DR2-007', 'baseline');
}, 120_000);

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let key: ReviewerKeyInfo;
let expired: ReviewerKeyInfo;
let adjudicator: ReviewerKeyInfo;

describe('keys:* and report:* channels', () => {
  it('refuse invalid payloads on both transports before any service runs', async () => {
    const sign = { previewId: 'a'.repeat(32), keyId: 'b'.repeat(16), passphrase: PASS, signerName: 'Lovelace^Ada', signerRole: 'Reviewer', meaning: 'Reviewer: volumetry performed and approved' };
    const bad: Array<[ChannelName, unknown]> = [
      ['keys:list', { extra: 1 }],
      ['keys:create', { commonName: 'Ada', organization: 'Site 12', validDays: 30, passphrase: 'short' }],
      ['keys:create', { commonName: 'Ada', organization: 'Site 12', validDays: 0, passphrase: PASS }],
      ['keys:create', { commonName: 'Ada', validDays: 30, passphrase: PASS }],
      ['keys:create', { commonName: 'Ada', organization: 'Site 12', validDays: 30, passphrase: PASS, notAfter: '2020-01-01' }],
      ['keys:import', { fileName: 'a.p12', p12Base64: 'x'.repeat(300_000), passphrase: PASS }],
      ['keys:import', { fileName: 'a.p12', p12Base64: 'AAAA' }],
      ['report:preview', { caseId: 'DR2-007' }],
      ['report:sign', { ...sign, passphrase: '' }],
      ['report:sign', { ...sign, passphrase: undefined }],
      ['report:sign', { ...sign, previewId: 'short' }],
      ['report:sign', { ...sign, keyId: 'b' }],
      ['report:sign', { ...sign, meaning: '' }],
      ['report:sign', { ...sign, passphrase: 7 }],
      ['report:sign', { ...sign, outDir: 'x\u0000y' }],
      ['report:cosign', { caseId: 'DR2-007', timepointId: 'baseline', ...sign, previewId: undefined }],
    ];
    for (const [channel, payload] of bad) {
      for (const transport of ['ipc', 'http'] as const) {
        const r = await raw(channel, payload, transport);
        expect(r, `${channel} ${JSON.stringify(payload).slice(0, 200)}`).toMatchObject({ ok: false, error: { code: 'invalid-request', channel } });
        if (!r.ok) expect(r.error.message).not.toContain(PASS);
      }
    }
    // Handler-level refusals keep their reason.
    expect(await raw('keys:import', { fileName: 'a.p12', p12Base64: 'not base64!', passphrase: PASS })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /not base64/ } });
    expect(await raw('report:sign', sign)).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /preview is no longer available/ } });
    expect(await raw('report:preview', { caseId: 'DR2-007', timepointId: 'week-3' })).toMatchObject({ ok: false, error: { message: /not open/ } });
  });

  it('creates and imports reviewer keys into the keystore folder, still encrypted, listed with validity and fingerprint; an expired one is marked', async () => {
    key = await call<ReviewerKeyInfo>('keys:create', { commonName: 'Ada Lovelace', organization: 'Site 12', role: 'Reviewer', validDays: 365, passphrase: PASS }, 'http');
    expect(key).toMatchObject({ source: 'created', commonName: 'Ada Lovelace', role: 'Reviewer', status: 'valid', selfSigned: true });
    expect(key.subject).toContain('CN=Ada Lovelace');
    expect(key.subject).toContain('O=Site 12');
    expect(Date.parse(key.validTo) - Date.parse(key.validFrom)).toBe(365 * 86_400_000);
    expect(key.id).toBe(key.sha256.slice(0, 16));

    const old = createSelfSignedP12({ commonName: 'Old Key', organization: 'Site 12', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z'), passphrase: PASS });
    const wrong = await raw('keys:import', { fileName: 'old.p12', p12Base64: Buffer.from(old.p12Der).toString('base64'), passphrase: 'not the passphrase' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /old\.p12: wrong passphrase/ } });
    expired = await call<ReviewerKeyInfo>('keys:import', { fileName: 'old.p12', p12Base64: Buffer.from(old.p12Der).toString('base64'), passphrase: PASS });
    expect(expired).toMatchObject({ source: 'imported', fileName: 'old.p12', status: 'expired', sha256: old.certificate.sha256 });
    expect(await raw('keys:import', { fileName: 'again.p12', p12Base64: Buffer.from(old.p12Der).toString('base64'), passphrase: PASS })).toMatchObject({ ok: false, error: { message: /already in the keystore/ } });
    const adj = createSelfSignedP12({ commonName: 'Grace Hopper', organization: 'Core lab', notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000 * 30), passphrase: 'adjudicator pass' });
    adjudicator = await call<ReviewerKeyInfo>('keys:import', { fileName: 'grace.p12', p12Base64: Buffer.from(adj.p12Der).toString('base64'), passphrase: 'adjudicator pass', role: 'Adjudicator' });

    const list = await call<ReviewerKeyList>('keys:list', undefined, 'http');
    expect(list.problems).toEqual([]);
    expect(list.keys.map((k) => [k.commonName, k.status])).toEqual([
      ['Ada Lovelace', 'valid'],
      ['Grace Hopper', 'valid'],
      ['Old Key', 'expired'],
    ]);
    // Stored as imported (the exact encrypted bytes); no passphrase anywhere in the keystore folder.
    const dir = path.join(wsRoot, 'keystore');
    expect(new Uint8Array(fs.readFileSync(path.join(dir, `${expired.id}.p12`)))).toEqual(old.p12Der);
    for (const f of filesUnder(dir)) {
      const text = fs.readFileSync(f).toString('latin1');
      expect(text).not.toContain(PASS);
      expect(text).not.toContain('adjudicator pass');
    }
  }, 60_000);

  let preview: ReportPreview;
  let result: SignExportResult;

  it('the preview measures the autosaved segmentation exactly as `remnant measure` does, with the key images the PDF embeds', async () => {
    preview = await call<ReportPreview>('report:preview', { caseId: 'DR2-007', timepointId: 'baseline' }, 'http');
    const r = preview.measurement;
    let liver = 0;
    let flr = 0;
    for (const l of phantom.labels) {
      if (l === 1 || l === 2 || l >= 10) liver++;
      if (l === 2) flr++;
    }
    expect(r.roles.liver.voxelCount).toBe(liver);
    expect(r.roles.flr.voxelCount).toBe(flr);
    expect(r.inputs.anthropometrics).toMatchObject({ heightCm: 113, weightKg: 38, chemotherapy: false });
    expect(r.ratios.sflrPct).not.toBeNull();
    expect(preview.inputs.labelFile.fileName).toBe('DR2-007_baseline_labels.nii.gz');
    expect(preview.keyImages.map((k) => k.plane)).toEqual(['axial', 'coronal']);
    for (const k of preview.keyImages) expect(sha256Hex(new Uint8Array(Buffer.from(k.pngBase64, 'base64')))).toBe(k.pngSha256);
    expect(preview.growth).toBeNull();
    expect(preview.defaultOutDir.startsWith(path.join(wsRoot, 'cases', 'DR2-007', 'timepoints', 'baseline', 'exports', 'signed-'))).toBe(true);

    // The same numbers as `remnant measure` on the NIfTI export of the same segmentation.
    const exported = await call<{ path: string }>('segmentation:exportNifti', { caseId: 'DR2-007', timepointId: 'baseline', fileName: 'check.nii.gz' });
    const m = await cli('measure', '--series', seriesDir, '--labels', exported.path, '--liver', preview.measurement.inputs.labelInput.roleMapping.liver.join(','), '--tumour', (preview.measurement.inputs.labelInput.roleMapping.tumours as number[]).join(','), '--flr', '2', '--height-cm', '113', '--weight-kg', '38', '--no-chemo', '--json');
    expect(m.code, m.stderr).toBe(0);
    const record = JSON.parse(m.stdout) as ReportPreview['measurement'];
    expect(record.volumes).toEqual(r.volumes);
    expect(record.ratios).toEqual(r.ratios);
    expect(record.verdict).toEqual(r.verdict);
    fs.rmSync(exported.path);
  }, 60_000);

  it('a wrong passphrase, an expired key or an unusable output folder: a clear message and nothing written', async () => {
    const outDir = path.join(tmp, 'out');
    const base = { previewId: preview.previewId, signerName: 'Lovelace^Ada', signerRole: 'Reviewer', meaning: 'Reviewer: volumetry performed and approved' };
    for (const transport of ['ipc', 'http'] as const) {
      const wrong = await raw('report:sign', { ...base, keyId: key.id, passphrase: 'not the passphrase', outDir }, transport);
      expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /reviewer key "Ada Lovelace" .*wrong passphrase/ } });
    }
    expect(await raw('report:sign', { ...base, keyId: expired.id, passphrase: PASS, outDir })).toMatchObject({ ok: false, error: { message: /"Old Key".*expired on 2021-01-01/ } });
    expect(fs.existsSync(outDir)).toBe(false);
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const unusable = await raw('report:sign', { ...base, keyId: key.id, passphrase: PASS, outDir: path.join(blocker, 'out') });
    expect(unusable).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /a-file\/out: cannot create the output folder/ } });
    expect(await raw('report:sign', { ...base, keyId: key.id, passphrase: PASS, outDir: 'relative/out' })).toMatchObject({ ok: false, error: { message: /absolute path/ } });
    expect(filesUnder(path.join(wsRoot, 'cases'))).toEqual(expect.not.arrayContaining([expect.stringMatching(/volumetry|seg\.dcm/)]));
  }, 60_000);

  it('signs and writes the report, labels and exports atomically; lists every file with its SHA-256; remnant verify accepts it', async () => {
    result = await call<SignExportResult>('report:sign', { previewId: preview.previewId, keyId: key.id, passphrase: PASS, signerName: 'Lovelace^Ada', signerRole: 'Reviewer', meaning: 'Reviewer: volumetry performed and approved', outDir: preview.defaultOutDir }, 'http');
    expect(result.outDir).toBe(preview.defaultOutDir);
    expect(result.files.map((f) => f.name).sort()).toEqual([...preview.fileNames].sort());
    expect(result.files.map((f) => f.name)).toEqual(expect.arrayContaining(['DR2-007_baseline_volumetry.pdf', 'DR2-007_baseline_volumetry.json', 'DR2-007_baseline_volumetry.json.p7s', 'DR2-007_baseline_labels.nii.gz', 'seg.dcm', 'sr.dcm', 'report-pdf.dcm', 'edc.csv', 'edc.json']));
    for (const f of result.files) {
      const bytes = new Uint8Array(fs.readFileSync(f.path));
      expect(sha256Hex(bytes), f.name).toBe(f.sha256);
      expect(bytes.length).toBe(f.bytes);
    }
    expect(filesUnder(result.outDir).sort()).toEqual(result.files.map((f) => f.path).sort());
    const json = JSON.parse(fs.readFileSync(path.join(result.outDir, 'DR2-007_baseline_volumetry.json'), 'utf8')) as { keyImages: Array<{ pngSha256: string }>; measurement: ReportPreview['measurement']; signer: { meaning: string; certificate: { sha256: string } } };
    expect(json.keyImages.map((k) => k.pngSha256)).toEqual(preview.keyImages.map((k) => k.pngSha256));
    expect(json.measurement).toEqual(preview.measurement);
    expect(json.signer).toMatchObject({ meaning: 'Reviewer: volumetry performed and approved', certificate: { sha256: key.sha256 } });
    const v = await cli('verify', result.pdfPath, '--series', seriesDir, '--labels', path.join(result.outDir, 'DR2-007_baseline_labels.nii.gz'));
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('VERIFIED');
    // A preview is signed once; a second signing needs a new preview.
    expect(await raw('report:sign', { previewId: preview.previewId, keyId: key.id, passphrase: PASS, signerName: 'X', signerRole: 'Reviewer', meaning: 'm' })).toMatchObject({ ok: false, error: { message: /no longer available/ } });
  }, 120_000);

  it('refuses to sign when the segmentation changed after the preview, and never replaces an existing report', async () => {
    const again = await call<ReportPreview>('report:preview', { caseId: 'DR2-007', timepointId: 'baseline' });
    const signing = { previewId: again.previewId, keyId: key.id, passphrase: PASS, signerName: 'Lovelace^Ada', signerRole: 'Reviewer', meaning: 'Reviewer: volumetry performed and approved' };
    expect(await raw('report:sign', { ...signing, outDir: result.outDir })).toMatchObject({ ok: false, error: { message: /already exists: choose an empty output folder/ } });
    expect(sha256Hex(new Uint8Array(fs.readFileSync(result.pdfPath)))).toBe(result.files.find((f) => f.name.endsWith('.pdf'))!.sha256);
    // An edit after the preview (undo of the import) invalidates it.
    await call('segmentation:record', { caseId: 'DR2-007', timepointId: 'baseline', op: 'undo', entryId: 1 });
    expect(await raw('report:sign', { ...signing, outDir: path.join(tmp, 'out2') })).toMatchObject({ ok: false, error: { message: /segmentation changed after the preview/ } });
    await call('segmentation:record', { caseId: 'DR2-007', timepointId: 'baseline', op: 'redo', entryId: 1 });
    expect(fs.existsSync(path.join(tmp, 'out2'))).toBe(false);
  });

  it('co-signs an existing report (adjudicator): one more valid revision', async () => {
    const reports = await call<SignedReportEntry[]>('report:list', { caseId: 'DR2-007', timepointId: 'baseline' });
    expect(reports).toMatchObject([{ pdfPath: result.pdfPath, signatures: 1 }]);
    const cosign = { caseId: 'DR2-007', timepointId: 'baseline', pdfPath: result.pdfPath, keyId: adjudicator.id, signerName: 'Hopper^Grace', signerRole: 'Adjudicator', meaning: 'Adjudicator: volumetry adjudicated and approved' };
    expect(await raw('report:cosign', { ...cosign, passphrase: PASS })).toMatchObject({ ok: false, error: { message: /wrong passphrase/ } });
    expect(await raw('report:cosign', { ...cosign, pdfPath: path.join(tmp, 'elsewhere_volumetry.pdf'), passphrase: 'adjudicator pass' })).toMatchObject({ ok: false, error: { message: /exports folder/ } });
    const done = await call<{ signatures: number; sha256: string }>('report:cosign', { ...cosign, passphrase: 'adjudicator pass' }, 'http');
    expect(done.signatures).toBe(2);
    expect(sha256Hex(new Uint8Array(fs.readFileSync(result.pdfPath)))).toBe(done.sha256);
    const v = await cli('verify', result.pdfPath);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('Hopper^Grace');
  }, 60_000);

  it("the next timepoint's preview finds the signed baseline report", async () => {
    await call('workspace:addTimepoint', { caseId: 'DR2-007', kind: 'week-3', scanDate: '2024-03-22' });
    const { studyInstanceUid, seriesInstanceUid, frameOfReferenceUid } = phantom.uids;
    await call('workspace:bindSeries', { caseId: 'DR2-007', timepointId: 'week-3', studyInstanceUid, seriesInstanceUid, frameOfReferenceUid, sourceFolder: seriesDir });
    await importTruth('DR2-007', 'week-3');
    const p = await call<ReportPreview>('report:preview', { caseId: 'DR2-007', timepointId: 'week-3' });
    expect(p.baselineReport ?? p.growthNote).toBeTruthy();
    if (p.growth) {
      expect(p.baselineReport).toBe(path.join(result.outDir, 'DR2-007_baseline_volumetry.json'));
      expect(p.growth.degreeOfHypertrophyPp).toBe(0);
    } else {
      // Same series (same date) twice: growth cannot be computed, and the preview says why.
      expect(p.growthNote).toContain('DR2-007_baseline_volumetry.json');
    }
  }, 60_000);

  it('refuses to sign while the chemotherapy status is not recorded: the preview says not assessable, signing says why', async () => {
    await call('workspace:updateAnthropometrics', { caseId: 'DR2-007', chemotherapy: null });
    try {
      const p = await call<ReportPreview>('report:preview', { caseId: 'DR2-007', timepointId: 'week-3' });
      expect(p.measurement.inputs.anthropometrics).toMatchObject({ chemotherapy: null, chemotherapyRecorded: false });
      expect(p.measurement.verdict).toMatchObject({ status: 'not-assessable', reason: 'not assessable: chemotherapy status not recorded' });
      const outDir = path.join(tmp, 'out-unrecorded-chemo');
      const refused = await raw('report:sign', { previewId: p.previewId, keyId: key.id, passphrase: PASS, signerName: 'Lovelace^Ada', signerRole: 'Reviewer', meaning: 'Reviewer: volumetry performed and approved', outDir });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /record whether the liver is chemotherapy-damaged before signing/ } });
      expect(fs.existsSync(outDir)).toBe(false);
    } finally {
      await call('workspace:updateAnthropometrics', { caseId: 'DR2-007', chemotherapy: false });
    }
  }, 60_000);
});
