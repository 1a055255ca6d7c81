/** Human-readable rendering of an IndexResult (the default output of `remnant index`). */
import type { IndexResult, StackEntry } from './types.ts';

function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : Number(x.toFixed(digits)).toString();
}

function date(d: string, t: string): string {
  const ds = /^\d{8}$/u.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d;
  const ts = /^\d{4}/u.test(t) ? ` ${t.slice(0, 2)}:${t.slice(2, 4)}` : '';
  return (ds + ts).trim() || '-';
}

function table(rows: string[][], indent: string): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

function stackRow(seriesLabel: string, modality: string, description: string, when: string, s: StackEntry): string[] {
  return [
    seriesLabel,
    modality || '-',
    description.length > 32 ? `${description.slice(0, 31)}…` : description || '-',
    when,
    String(s.sliceCount),
    s.rows === null ? '-' : `${s.columns}x${s.rows}`,
    `${num(s.spacingMm.row)}, ${num(s.spacingMm.col)}, ${num(s.spacingMm.slice)}`,
    s.transferSyntaxes.map((t) => t.name).join(' + '),
    s.problems.length === 0 ? 'ok' : s.problems.filter((p) => p.code !== 'header-warning').map((p) => p.code).join(', ') || 'header warnings',
  ];
}

export function formatIndexText(r: IndexResult): string {
  const out: string[] = [];
  const seriesCount = r.studies.reduce((a, s) => a + s.series.length, 0);
  out.push(`Index of ${r.root}: ${r.fileCount} file(s); ${r.studies.length} study(ies), ${seriesCount} image series, ${r.nonImageObjects.length} non-image object(s), ${r.mediaDirectories.length} DICOMDIR(s), ${r.unreadableFiles.length} unreadable file(s)`);
  for (const st of r.studies) {
    out.push('');
    const p = st.patient;
    const a = p.anthropometrics;
    const anthro = [a.patientSex ? `sex ${a.patientSex}` : '', a.patientAge ? `age ${a.patientAge}` : '', a.patientSizeM ? `height ${num(a.patientSizeM, 3)} m` : '', a.patientWeightKg ? `weight ${num(a.patientWeightKg, 1)} kg` : '']
      .filter((x) => x !== '')
      .join(', ');
    out.push(`Study ${st.studyInstanceUid}  ${date(st.studyDate, st.studyTime)}  ${st.studyDescription || '(no description)'}`);
    out.push(`  patient: ${anthro || 'no anthropometrics'}; identifying fields: ${p.identifyingFieldsPresent.length > 0 ? p.identifyingFieldsPresent.join(', ') : 'none'}; PatientIdentityRemoved: ${p.patientIdentityRemoved ?? '-'}${p.deidentificationMethod.length > 0 ? ` (${p.deidentificationMethod.join('; ')})` : ''}`);
    const rows: string[][] = [['series/stack', 'mod', 'description', 'date', 'slices', 'matrix', 'spacing mm (row, col, slice)', 'transfer syntax', 'warnings']];
    const details: string[] = [];
    for (const se of st.series) {
      for (const s of se.stacks) {
        const label = `#${se.seriesNumber ?? '-'}${se.stacks.length > 1 ? `.${s.stackNumber}` : ''}`;
        rows.push(stackRow(label, se.modality, se.seriesDescription, date(se.seriesDate, se.seriesTime), s));
        for (const pr of s.problems) details.push(`    ${label}: [${pr.code}] ${pr.message}`);
      }
    }
    out.push(table(rows, '  '));
    if (details.length > 0) out.push(...details);
  }
  out.push('', `Non-image objects (${r.nonImageObjects.length})`);
  for (const n of r.nonImageObjects) {
    const links = n.linkedSeries.map((l) => `${l.seriesInstanceUid}${l.indexed ? '' : ' (not in this index)'}`).join(', ');
    const segs = n.segments.length > 0 ? `; segments: ${n.segments.map((s) => `${s.segmentNumber} ${s.label}`).join(', ')}` : '';
    out.push(`  ${n.path}  ${n.sopClassName}${n.modality ? ` (${n.modality})` : ''}${links ? ` -> series ${links}` : ''}${segs}`);
  }
  out.push('', `DICOMDIR files (${r.mediaDirectories.length})`);
  for (const m of r.mediaDirectories) {
    out.push(`  ${m.path}  media directory: ${m.recordCount} record(s), ${m.referencedFileCount} referenced file(s), ${m.missingFiles.length} missing`);
    for (const f of m.missingFiles) out.push(`    missing: ${f}`);
  }
  out.push('', `Unreadable files (${r.unreadableFiles.length})`);
  for (const u of r.unreadableFiles) out.push(`  ${u.path}  [${u.code}] ${u.reason}`);
  return `${out.join('\n')}\n`;
}
