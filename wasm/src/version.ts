/**
 * Version of the volumetry core, recorded in every MeasurementRecord (coreVersion).
 * Kept equal to package.json "version" (a spec checks this); bump both together.
 */
export const CORE_VERSION = '0.1.0';
