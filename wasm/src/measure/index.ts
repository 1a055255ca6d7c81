/** Public API of the measurement core, for the CLI (`remnant measure`, `remnant growth`) and the app. */
export { MEASUREMENT_KIND, MEASUREMENT_SCHEMA_VERSION, assertMeasurementRecord, buildMeasurementRecord } from './record.ts';
export type { Anthropometrics, LabelInputProvenance, MeasureInput, MeasurementRecord, SegmentStatistics, SeriesProvenance } from './record.ts';
export { GROWTH_KIND, GROWTH_SCHEMA_VERSION, growthRecord } from './growth-record.ts';
export type { GrowthEndpoint, GrowthOptions, GrowthRecord } from './growth-record.ts';
export { patientIdSha256 } from './subject-key.ts';
export { formatGrowthText, formatMeasurementText } from './format.ts';
export { composeRoleLabelmap } from '../segments/compose.ts';
export type { ComposedRoleLabelmap, CompositionQc, QcFlag, RoleMapping } from '../segments/compose.ts';
export { DRAGON2_DEFAULT_PROTOCOL, makeProtocol, validateProtocol } from '../clinical/protocol.ts';
export type { VerdictRatio, VolumetryProtocol } from '../clinical/protocol.ts';
