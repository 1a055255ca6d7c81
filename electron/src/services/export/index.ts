/** Standard exports (docs/exports.md): DICOM SEG, SR TID 1500, Encapsulated PDF, EDC CSV/JSON. */
export { ExportError, EXPORT_FILE_NAMES, EXPORT_SERIES_NUMBERS, checkOutputFolder, readSourceContext, writeExports, writeFilesAtomically } from './write-exports.ts';
export type { ExportKind, ExportRequest, ExportResult, ExportReviewer, ExportableOutcome, ExportedFile } from './write-exports.ts';
export { EDC_COLUMNS, EDC_KIND, EDC_SCHEMA_VERSION, edcRows, formatDecimal, isoUtcWithOffset, measurementRecordSha256, parseCsv, parseCsvRecords, roundDecimal, toCsv, toJson } from './edc.ts';
export type { EdcColumn, EdcColumnName, EdcEntry, EdcRow } from './edc.ts';
export { SourceContextError, sourceContextFromDicom } from './source-context.ts';
