/**
 * The volumetry report PDF (A4, Helvetica), generated with pdf-lib from the report data, the ScalarVolume and the role
 * labelmap. Pages: 1 identification, anthropometrics, volumes, formulas, ratios and verdict, growth; 2 key images and
 * QC flags; 3 provenance and signature manifestation (with slots for co-signatures); appendix: SHA-256 of every input
 * instance. The report data is embedded as remnant-report.json. The output is the unsigned revision 1; sign it with
 * appendPdfSignature (services/signing/pdf-sign.ts).
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { PDFFont, PDFImage, PDFPage } from 'pdf-lib';
import { RATIO_LABELS } from '../../../../wasm/src/clinical/protocol.ts';
import type { ScalarVolume } from '../../../../wasm/src/image/types.ts';
import { applicableThresholdText, chemotherapyText, fixed, fixedAgainst, growthRows, mebrofeninText, ratioText, substitutedFormulaLines, verdictHeadline, verdictText } from '../../../../wasm/src/measure/format.ts';
import { DEFAULT_OVERLAY_COLOURS, LIVER_WINDOW_HU, chooseKeySlices, percentileWindow, renderKeyImage } from '../../../../wasm/src/render/key-image.ts';
import type { KeyImage, Rgb, WindowLevel } from '../../../../wasm/src/render/key-image.ts';
import { winAnsiText } from './pdf-text.ts';
import { encodePngRgb } from './png.ts';
import { EMBEDDED_REPORT_NAME, sha256Hex } from './report-data.ts';
import type { ReportData, ReportSlot } from './report-data.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const CONTENT_W = A4[0] - 2 * MARGIN;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.38, 0.42);
const RULE = rgb(0.78, 0.8, 0.85);
const ACCENT = rgb(0.12, 0.25, 0.5);

/**
 * Text a standard font can encode (WinAnsi): transliterated for print by winAnsiText (ř -> r, ł -> l, ≥ -> >=), with
 * a final check against the font ('?' for what it still cannot encode). The exact text stays in the metadata.
 */
export function winAnsiSafe(font: PDFFont, text: string, cache: Map<string, boolean>): string {
  let out = '';
  for (const ch of winAnsiText(text)) {
    let ok = cache.get(ch);
    if (ok === undefined) {
      try {
        font.encodeText(ch);
        ok = true;
      } catch {
        ok = false;
      }
      cache.set(ch, ok);
    }
    out += ok ? ch : '?';
  }
  return out;
}

class Layout {
  readonly doc: PDFDocument;
  readonly regular: PDFFont;
  readonly bold: PDFFont;
  readonly mono: PDFFont;
  page!: PDFPage;
  y = 0;
  private readonly cache = new Map<string, boolean>();

  constructor(doc: PDFDocument, regular: PDFFont, bold: PDFFont, mono: PDFFont) {
    this.doc = doc;
    this.regular = regular;
    this.bold = bold;
    this.mono = mono;
  }

  safe(text: string): string {
    return winAnsiSafe(this.regular, text, this.cache);
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN + 24) this.newPage();
  }

  text(text: string, x: number, y: number, size: number, font = this.regular, color = INK): void {
    this.page.drawText(this.safe(text), { x, y, size, font, color });
  }

  width(text: string, size: number, font = this.regular): number {
    return font.widthOfTextAtSize(this.safe(text), size);
  }

  /** Greedy word wrap to `maxWidth`. */
  wrap(text: string, size: number, maxWidth: number, font = this.regular): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line === '' ? word : `${line} ${word}`;
        if (this.width(candidate, size, font) <= maxWidth || line === '') line = candidate;
        else {
          lines.push(line);
          line = word;
        }
        while (this.width(line, size, font) > maxWidth && line.length > 1) {
          let cut = line.length - 1;
          while (cut > 1 && this.width(line.slice(0, cut), size, font) > maxWidth) cut--;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line);
    }
    return lines;
  }

  heading(title: string): void {
    this.ensure(40);
    this.y -= 14;
    this.text(title, MARGIN, this.y, 11.5, this.bold, ACCENT);
    this.y -= 5;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + CONTENT_W, y: this.y }, thickness: 0.6, color: RULE });
    this.y -= 12;
  }

  paragraph(text: string, size = 8.5, color = INK, indent = 0): void {
    for (const line of this.wrap(text, size, CONTENT_W - indent)) {
      this.ensure(size + 3);
      this.text(line, MARGIN + indent, this.y, size, this.regular, color);
      this.y -= size + 3;
    }
  }

  /** Label/value rows in `columns` columns. */
  keyValues(rows: Array<[string, string]>, columns = 1, labelWidth = 120, size = 8.5): void {
    const colW = CONTENT_W / columns;
    for (let r = 0; r < rows.length; r += columns) {
      const cells = rows.slice(r, r + columns);
      const wrapped = cells.map(([, v]) => this.wrap(v, size, colW - labelWidth - 6));
      const lines = Math.max(...wrapped.map((w) => w.length));
      this.ensure(lines * (size + 3));
      cells.forEach(([k], c) => {
        const x = MARGIN + c * colW;
        this.text(k, x, this.y, size, this.regular, MUTED);
        (wrapped[c] as string[]).forEach((line, n) => this.text(line, x + labelWidth, this.y - n * (size + 3), size));
      });
      this.y -= lines * (size + 3) + 1.5;
    }
  }

  /** A ruled table; `align` 'r' right-aligns a column. */
  table(head: string[], rows: string[][], widths: number[], align: string, size = 8.5, font = this.regular): void {
    const rowH = size + 5;
    const drawRow = (cells: string[], f: PDFFont, color = INK): void => {
      let x = MARGIN;
      cells.forEach((cell, c) => {
        const w = widths[c] as number;
        const t = this.safe(cell);
        const tx = align[c] === 'r' ? x + w - 4 - f.widthOfTextAtSize(t, size) : x + 3;
        this.page.drawText(t, { x: tx, y: this.y, size, font: f, color });
        x += w;
      });
    };
    this.ensure(rowH * 2);
    drawRow(head, this.bold, MUTED);
    this.y -= 3;
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + widths.reduce((a, b) => a + b, 0), y: this.y }, thickness: 0.5, color: RULE });
    this.y -= rowH - 2;
    for (const row of rows) {
      if (this.y - rowH < MARGIN + 24) {
        this.newPage();
        drawRow(head, this.bold, MUTED);
        this.y -= rowH;
      }
      drawRow(row, font);
      this.y -= rowH;
    }
    this.y -= 2;
  }
}

function dicomDate(d: string): string {
  return /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d || 'n/a';
}

function mm(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined ? 'n/a' : `${v.toFixed(digits)} mm`;
}

function verdictColour(status: string): Rgb {
  return status === 'sufficient' ? [24, 120, 60] : status === 'insufficient' ? [170, 30, 30] : [120, 90, 20];
}

/** A key image as the report shows it: the rendered slice, why it was chosen, its PNG and the display window. */
export interface ReportKeyImage {
  image: KeyImage;
  reason: string;
  png: Uint8Array;
  window: WindowLevel;
}

interface RenderedKeyImage extends ReportKeyImage {
  embedded: PDFImage;
}

/**
 * The report's key images (axial and coronal through the chosen slices, liver window for HU, overlays), as PNG. The
 * PDF embeds exactly these PNGs; the app's preview shows them (same bytes, same SHA-256).
 */
export function renderReportKeyImages(volume: ScalarVolume, roleLabelmap: Uint8Array): ReportKeyImage[] {
  const plan = chooseKeySlices(roleLabelmap, volume.geometry);
  const window = volume.rescaleUnits === 'HU' ? LIVER_WINDOW_HU : percentileWindow(volume, roleLabelmap);
  const out: ReportKeyImage[] = [];
  for (const [plane, slice, reason] of [['axial', plan.axial, plan.axialReason], ['coronal', plan.coronal, plan.coronalReason]] as const) {
    const image = renderKeyImage({ volume, labelmap: roleLabelmap, plane, sliceIndex: slice, window });
    out.push({ image, reason, png: encodePngRgb(image), window });
  }
  return out;
}

export interface ReportPdfInput {
  data: Omit<ReportData, 'keyImages' | 'cosignSlots'>;
  volume: ScalarVolume;
  roleLabelmap: Uint8Array;
}

export interface ReportPdf {
  /** Unsigned PDF (revision 1). */
  pdf: Uint8Array;
  data: ReportData;
}

/** Builds the unsigned report PDF and the complete report data (with key-image hashes and co-signature slots). */
export async function buildReportPdf(input: ReportPdfInput): Promise<ReportPdf> {
  const { data, volume, roleLabelmap } = input;
  const r = data.measurement;
  const doc = await PDFDocument.create({ updateMetadata: false });
  const signedAt = new Date(data.signer.signedAt);
  doc.setTitle(`Liver volumetry report: subject ${data.subjectId}, ${data.timepoint}`, { showInWindowTitleBar: true });
  doc.setAuthor(data.signer.name);
  doc.setSubject('Central liver volumetry (FLR, sFLR) for a liver-regeneration trial');
  doc.setCreator(`Remnant ${data.software.version} (core ${data.software.coreVersion})`);
  doc.setProducer('Remnant with pdf-lib');
  doc.setCreationDate(signedAt);
  doc.setModificationDate(signedAt);
  const L = new Layout(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold), await doc.embedFont(StandardFonts.Courier));

  // ---- Page 1: identification and numbers.
  L.newPage();
  L.page.drawRectangle({ x: 0, y: A4[1] - 70, width: A4[0], height: 70, color: ACCENT });
  L.text('Central liver volumetry report', MARGIN, A4[1] - 38, 17, L.bold, rgb(1, 1, 1));
  L.text(`Future liver remnant (FLR) assessment  |  Remnant ${data.software.version}  |  protocol ${r.provenance.protocol.name} v${r.provenance.protocol.version}`, MARGIN, A4[1] - 56, 8.5, L.regular, rgb(0.85, 0.9, 1));
  L.y = A4[1] - 96;
  L.text(`Subject ${data.subjectId}`, MARGIN, L.y, 13, L.bold);
  L.text(`Timepoint ${data.timepoint}`, MARGIN + 200, L.y, 13, L.bold);
  const [vr, vg, vb] = verdictColour(r.verdict.status);
  const badgeText = verdictHeadline(r);
  const vw = L.width(badgeText, 12, L.bold) + 20;
  L.page.drawRectangle({ x: MARGIN + CONTENT_W - vw, y: L.y - 6, width: vw, height: 22, color: rgb(vr / 255, vg / 255, vb / 255) });
  L.text(badgeText, MARGIN + CONTENT_W - vw + 10, L.y, 12, L.bold, rgb(1, 1, 1));
  L.y -= 18;

  const s = r.inputs.series;
  const id = data.identification;
  L.heading('Identification');
  L.keyValues([
    ['Study Instance UID', s.studyInstanceUid ?? '(none in the DICOM headers)'],
    ['Series Instance UID', s.seriesInstanceUid ?? `(none in the DICOM headers; identified by content SHA-256 ${r.provenance.sourceFileSha256 ?? 'n/a'})`],
    ['Frame of Reference UID', s.frameOfReferenceUid],
  ], 1, 120);
  L.keyValues([
    ['Scan date', `${dicomDate(s.seriesDate)}${s.seriesDateSource ? ` (${s.seriesDateSource})` : ''}`],
    ['Modality', s.modality],
    ['Series description', id.seriesDescription ?? 'n/a'],
    ['Slice count', String(id.sliceCount)],
    ['Slice thickness', mm(id.sliceThicknessMm)],
    ['Pixel spacing (row x col)', `${mm(id.spacingMm.row, 3)} x ${mm(id.spacingMm.col, 3)}`],
    ['Slice spacing', mm(id.spacingMm.slice, 3)],
    ['Grid (i x j x k)', `${r.geometry.sizeIJK.join(' x ')} voxels`],
  ], 2, 110);
  L.keyValues([['Geometry warnings', id.geometryWarnings.length === 0 ? 'none' : id.geometryWarnings.join('; ')]], 1, 120);
  L.keyValues([['Label file', `${r.inputs.labelInput.fileName} (${r.inputs.labelInput.format})`], ['Role mapping', mappingText(r.inputs.labelInput.roleMapping)]], 1, 120);

  const a = r.inputs.anthropometrics;
  L.heading('Anthropometrics');
  L.keyValues([
    ['Height', a.heightCm !== undefined ? `${a.heightCm} cm` : 'n/a'],
    ['Weight', a.weightKg !== undefined ? `${a.weightKg} kg` : 'n/a'],
    ['BSA', r.bsa ? `${fixed(r.bsa.valueM2, 3)} m² (${r.bsa.source === 'explicit' ? 'explicit' : (r.bsa.formulaName ?? '')})` : 'n/a'],
    ['Sex', a.sex ?? 'n/a'],
    ['Chemotherapy', chemotherapyText(a.chemotherapy)],
    ['Mebrofenin FLR function', a.mebrofeninFlrFunctionPctPerMinPerM2 !== undefined ? `${a.mebrofeninFlrFunctionPctPerMinPerM2} %/min/m²` : 'not given'],
  ], 2, 110);

  L.heading('Volumes');
  const tumourRows = r.roles.tumours.map((t) => [`  Tumour ${t.tumourIndex + 1}`, String(t.voxelCount), fixed(t.volumeMl, 1)]);
  L.table(
    ['Structure', 'Voxels', 'Volume (mL)'],
    [
      ['Liver, total (tumours included)', String(r.roles.liver.voxelCount), fixed(r.volumes.liverMl, 1)],
      [`Tumours (${r.roles.tumours.length})`, String(r.roles.tumoursAll.voxelCount), fixed(r.volumes.tumoursMl, 1)],
      ...tumourRows,
      ['TLV measured (liver minus tumours)', String(r.roles.tlvMeasured.voxelCount), fixed(r.volumes.tlvMeasuredMl, 1)],
      ['Future liver remnant (FLR)', String(r.roles.flr.voxelCount), fixed(r.volumes.flrMl, 1)],
    ],
    [300, 95, 100],
    'lrr',
  );
  L.paragraph(`Voxel volume ${fixed(r.geometry.voxelVolume.valueMm3, 4)} mm³ (${r.geometry.voxelVolume.method}); volumes are voxel counts x voxel volume, unrounded in the JSON record.`, 7.5, MUTED);

  L.heading('Formulas and constants');
  for (const line of substitutedFormulaLines(r)) L.paragraph(line, 8);
  const sources: string[] = [];
  if (r.bsa?.source === 'formula') sources.push(`BSA (${r.bsa.formulaName}): ${Object.entries(r.bsa.constants ?? {}).map(([k, v]) => `${k} = ${v}`).join(', ')}. ${r.bsa.citation ?? ''}`);
  if (r.stlv) sources.push(`sTLV (${r.stlv.formulaName}): ${r.stlv.expression}. ${r.stlv.citation}`);
  sources.push(`Protocol ${r.provenance.protocol.name} v${r.provenance.protocol.version}; core ${r.coreVersion}, measurement schema ${r.schemaVersion}. Values are rounded for display; a value compared with a threshold is never rounded onto or across it.`);
  for (const line of sources) L.paragraph(line, 7.5, MUTED);

  L.heading('Ratios, thresholds and verdict');
  L.table(
    ['Ratio', 'Value', 'Basis of verdict'],
    [
      ['sFLR (FLR / sTLV)', ratioText(r, 'sflr', 1), r.thresholds.verdictRatio === 'sflr' ? 'yes' : ''],
      ['FLR / TLV measured', ratioText(r, 'flr-to-tlv-measured', 1), r.thresholds.verdictRatio === 'flr-to-tlv-measured' ? 'yes' : ''],
      ['FLR / body weight', ratioText(r, 'flr-to-body-weight', 2), r.thresholds.verdictRatio === 'flr-to-body-weight' ? 'yes' : ''],
    ],
    [300, 95, 100],
    'lrr',
  );
  L.keyValues([
    ['Thresholds', `${r.thresholds.normalLiverPct} % normal liver, ${r.thresholds.chemotherapyDamagedLiverPct} % chemotherapy-damaged liver (${RATIO_LABELS[r.thresholds.verdictRatio]})`],
    ['Applicable threshold', applicableThresholdText(r)],
    ['Verdict (FLR volume)', verdictText(r)],
  ], 1, 120);
  const meb = mebrofeninText(r);
  if (meb !== null) L.keyValues([['Mebrofenin (HBS)', meb]], 1, 120);

  if (data.growth) {
    const g = data.growth;
    L.heading('Growth since baseline');
    L.table(
      ['', 'Scan date', 'FLR (mL)', 'sTLV (mL)', 'sFLR (own sTLV)'],
      [
        ['Baseline', dicomDate(g.baseline.seriesDate), fixed(g.baseline.flrMl, 1), fixed(g.baseline.stlvMl, 1), fixedAgainst(g.baseline.sflrPct, 1, g.baseline.applicableThresholdPct, ' %')],
        ['This timepoint', dicomDate(g.followup.seriesDate), fixed(g.followup.flrMl, 1), fixed(g.followup.stlvMl, 1), fixedAgainst(g.followup.sflrPct, 1, g.followup.applicableThresholdPct, ' %')],
      ],
      [135, 90, 85, 85, 100],
      'lrrrr',
    );
    L.keyValues([...growthRows(g), ['Baseline record SHA-256', data.baselineRecordSha256 ?? 'n/a']], 1, 130);
    for (const f of g.flags) L.paragraph(`[${f.severity}] ${f.code}: ${f.message}`, 7.5, MUTED);
  }

  // ---- Page 2: key images and QC.
  L.newPage();
  L.heading('Key images');
  const rendered: RenderedKeyImage[] = [];
  for (const k of renderReportKeyImages(volume, roleLabelmap)) rendered.push({ ...k, embedded: await doc.embedPng(k.png) });
  const window = rendered[0]?.window ?? LIVER_WINDOW_HU;
  const boxW = (CONTENT_W - 24) / 2;
  const boxH = 250;
  const top = L.y - 14;
  rendered.forEach((k, n) => {
    const x0 = MARGIN + n * (boxW + 24);
    const scale = Math.min(boxW / k.image.width, boxH / k.image.height);
    const w = k.image.width * scale;
    const h = k.image.height * scale;
    const x = x0 + (boxW - w) / 2;
    const y = top - boxH + (boxH - h) / 2;
    L.page.drawRectangle({ x: x0, y: top - boxH, width: boxW, height: boxH, color: rgb(0, 0, 0) });
    L.page.drawImage(k.embedded, { x, y, width: w, height: h });
    const o = k.image.orientation;
    const lab = (t: string, tx: number, ty: number): void => L.text(t, tx, ty, 9, L.bold, rgb(1, 0.9, 0.3));
    lab(o.left, x0 + 4, top - boxH / 2 - 3);
    lab(o.right, x0 + boxW - 4 - L.width(o.right, 9, L.bold), top - boxH / 2 - 3);
    lab(o.top, x0 + boxW / 2 - L.width(o.top, 9, L.bold) / 2, top - 12);
    lab(o.bottom, x0 + boxW / 2 - L.width(o.bottom, 9, L.bold) / 2, top - boxH + 4);
    const axisName = ['i', 'j', 'k'][k.image.throughAxis] as string;
    const capY = top - boxH - 12;
    L.text(`${k.image.plane === 'axial' ? 'Axial' : 'Coronal'}: ${axisName} = ${k.image.sliceIndex + 1} of ${volume.geometry.sizeIJK[k.image.throughAxis]} (${k.reason})`, x0, capY, 8, L.bold);
    L.text(`Window C ${Math.round(window.center)} / W ${Math.round(window.width)} ${volume.rescaleUnits}; ${k.image.pixelSizeMm.toFixed(2)} mm/pixel`, x0, capY - 11, 7.5, L.regular, MUTED);
  });
  L.y = top - boxH - 40;
  // Legend.
  let lx = MARGIN;
  const legend: Array<[string, Rgb]> = [
    ['Liver outside FLR', DEFAULT_OVERLAY_COLOURS.liver],
    ['Future liver remnant (FLR)', DEFAULT_OVERLAY_COLOURS.flr],
    ['Tumour', DEFAULT_OVERLAY_COLOURS.tumour],
  ];
  for (const [name, [cr, cg, cb]] of legend) {
    L.page.drawRectangle({ x: lx, y: L.y - 2, width: 14, height: 9, color: rgb(cr / 255, cg / 255, cb / 255) });
    L.text(name, lx + 19, L.y, 8.5);
    lx += 19 + L.width(name, 8.5) + 22;
  }
  L.y -= 14;
  L.paragraph('Display convention: patient right on image left; axial viewed from the feet (anterior at the top), coronal viewed from the front (superior at the top). Overlays: translucent fill with an opaque outline of each region.', 7.5, MUTED);

  L.heading('Quality control');
  const flags = r.qc.flags;
  if (flags.length === 0) L.paragraph('No QC findings.', 8.5);
  for (const f of flags) {
    L.ensure(24);
    const tag = `${f.severity.toUpperCase()}  ${f.code}`;
    const colour = f.severity === 'error' ? rgb(0.65, 0.1, 0.1) : f.severity === 'warning' ? rgb(0.55, 0.35, 0) : MUTED;
    L.text(tag, MARGIN, L.y, 8, L.bold, colour);
    L.y -= 10;
    L.paragraph(`${f.message}${f.voxelCount !== undefined ? ` (${f.voxelCount} voxels)` : ''}`, 8, INK, 10);
    L.y -= 2;
  }

  // ---- Page 3: provenance and signature.
  L.newPage();
  L.heading('Provenance');
  L.keyValues([
    ['Software', `Remnant ${data.software.version}, volumetry core ${data.software.coreVersion}, report schema ${data.schemaVersion}`],
    ['Measured at', r.createdAt],
    ['Label file', `${data.inputs.labelFile.fileName}`],
    ['Label file SHA-256', data.inputs.labelFile.sha256],
    ['Role labelmap SHA-256', data.inputs.labelmap.sha256],
    ['Labelmap encoding', `${data.inputs.labelmap.encoding}; ${data.inputs.labelmap.sizeIJK.join(' x ')}`],
    ['Series SHA-256', `${r.provenance.sourceFileSha256 ?? 'n/a'} (SHA-256 of the instance hashes in slice order, one per line)`],
    ['Input instances', `${data.inputs.instances.length} files; SHA-256 of each in the appendix`],
    ['Key images (PNG SHA-256)', rendered.map((k) => `${k.image.plane} ${sha256Hex(k.png).slice(0, 16)}...`).join('; ')],
    ['Embedded data', `${EMBEDDED_REPORT_NAME}: this report's numbers and hashes as JSON (attachment)`],
  ], 1, 130, 8);

  L.heading('Signature');
  const sig = data.signer;
  L.ensure(130);
  const boxTop = L.y + 4;
  // A name the standard font cannot print exactly is printed transliterated, and says where the exact name is.
  const printedName = L.safe(sig.name) === sig.name.normalize('NFC') ? sig.name : `${sig.name} (transliterated for print; exact Unicode name in the document properties, the signature and the embedded data)`;
  const sigLines: Array<[string, string]> = [
    ['Signed by', printedName],
    ['Role', sig.role],
    ['Date and time', sig.signedAt],
    ['Meaning', sig.meaning],
    ['Certificate subject', sig.certificate.subject],
    ['Certificate issuer', `${sig.certificate.issuer}${sig.certificate.selfSigned ? ' (self-signed)' : ''}`],
    ['Serial number', sig.certificate.serialNumberHex],
    ['Certificate SHA-256', sig.certificate.sha256],
  ];
  L.y -= 8;
  L.keyValues(sigLines.map(([k, v]) => [`  ${k}`, v]), 1, 120, 8.5);
  L.page.drawRectangle({ x: MARGIN, y: L.y, width: CONTENT_W, height: boxTop - L.y, borderColor: ACCENT, borderWidth: 1 });
  L.y -= 12;
  L.paragraph('This page is the printed manifestation of the electronic signature applied to this PDF (PAdES-style CMS signature, SHA-256, RSA). Verify with `remnant verify <report.pdf>` or any PDF signature validator (e.g. `pdfsig`).', 7.5, MUTED);
  L.y -= 6;
  L.text('Co-signatures', MARGIN, L.y, 9.5, L.bold, ACCENT);
  L.y -= 8;
  const slots: ReportSlot[] = [];
  const slotH = 62;
  const pageIndex = doc.getPageCount() - 1;
  for (let n = 0; n < 2; n++) {
    L.y -= slotH + 6;
    slots.push({ pageIndex, rectPt: [MARGIN, Math.round(L.y), Math.round(CONTENT_W), slotH] });
    L.page.drawRectangle({ x: MARGIN, y: L.y, width: CONTENT_W, height: slotH, borderColor: RULE, borderWidth: 0.6, borderDashArray: [3, 3] });
    L.text(`Co-signature ${n + 1}: not signed`, MARGIN + 8, L.y + slotH / 2 - 3, 8, L.regular, MUTED);
  }

  // ---- Appendix: instance hashes.
  L.newPage();
  L.heading(`Appendix: SHA-256 of the ${data.inputs.instances.length} input instances (slice order)`);
  L.table(
    ['#', 'File (relative to the series folder)', 'SHA-256'],
    data.inputs.instances.map((inst, n) => [String(n + 1), inst.file.length > 42 ? `...${inst.file.slice(-41)}` : inst.file, inst.sha256]),
    [26, 175, 294],
    'rll',
    6.2,
    L.mono,
  );

  // Footers.
  const pages = doc.getPages();
  pages.forEach((p, n) => {
    const footer = `Subject ${data.subjectId}  |  ${data.timepoint}  |  series ${r.inputs.series.seriesInstanceUid ?? `(no UID) content SHA-256 ${r.provenance.sourceFileSha256 ?? 'n/a'}`}`;
    p.drawLine({ start: { x: MARGIN, y: 36 }, end: { x: A4[0] - MARGIN, y: 36 }, thickness: 0.4, color: RULE });
    p.drawText(L.safe(footer), { x: MARGIN, y: 26, size: 6.8, font: L.regular, color: MUTED });
    const pn = `Page ${n + 1} of ${pages.length}`;
    p.drawText(pn, { x: A4[0] - MARGIN - L.regular.widthOfTextAtSize(pn, 6.8), y: 26, size: 6.8, font: L.regular, color: MUTED });
  });

  const full: ReportData = {
    ...data,
    keyImages: rendered.map((k) => ({ plane: k.image.plane, sliceIndex: k.image.sliceIndex, reason: k.reason, pngSha256: sha256Hex(k.png) })),
    cosignSlots: slots,
  };
  await doc.attach(new TextEncoder().encode(`${JSON.stringify(full, null, 2)}\n`), EMBEDDED_REPORT_NAME, {
    mimeType: 'application/json',
    description: 'Remnant report data: measurement record, signer, input hashes',
    creationDate: signedAt,
    modificationDate: signedAt,
  });
  const pdf = await doc.save({ useObjectStreams: false });
  return { pdf, data: full };
}

function mappingText(m: ReportData['measurement']['inputs']['labelInput']['roleMapping']): string {
  const tumours = m.tumours.map((t) => (Array.isArray(t) ? t.join('+') : String(t))).join(', ');
  return `liver = segment ${m.liver.join(', ') || '-'}; tumours = ${tumours || '-'}; FLR = ${m.flr.join(', ') || '-'}`;
}
