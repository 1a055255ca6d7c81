/** Series-loading progress and a time-left estimate from the observed decode rate. */
export interface LoadProgress {
  totalFiles: number;
  filesRead: number;
  filesDecoded: number;
  filesFailed: number;
  elapsedMs: number;
}

/**
 * Remaining time in ms, assuming the remaining files decode at the rate observed so far. Reading and decoding overlap,
 * so the estimate uses the slower of the two stages. Undefined until there is a rate to extrapolate from.
 */
export function estimateTimeLeftMs(p: LoadProgress): number | undefined {
  const done = Math.min(p.filesRead, p.filesDecoded + p.filesFailed);
  if (p.totalFiles <= 0 || done <= 0 || p.elapsedMs <= 0) return undefined;
  if (done >= p.totalFiles) return 0;
  const msPerFile = p.elapsedMs / done;
  return Math.round((p.totalFiles - done) * msPerFile);
}

/** Fraction 0..1 of the work done (a file counts half when read, fully when decoded or failed). */
export function progressFraction(p: LoadProgress): number {
  if (p.totalFiles <= 0) return 0;
  return Math.min(1, (p.filesRead + p.filesDecoded + p.filesFailed) / (2 * p.totalFiles));
}

export function formatTimeLeft(ms: number | undefined): string {
  if (ms === undefined) return 'estimating…';
  if (ms < 1000) return '< 1 s';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Order in which the files of a series are read: the middle slice(s) first — the axial view opens on the middle of the
 * volume, so that is the first image a user can see — then the rest from k = 0 upwards.
 */
export function readOrder(fileCount: number): number[] {
  if (fileCount <= 0) return [];
  const first = Array.from(new Set([Math.floor((fileCount - 1) / 2), Math.ceil((fileCount - 1) / 2)]));
  const order = [...first];
  for (let k = 0; k < fileCount; k++) if (!first.includes(k)) order.push(k);
  return order;
}

/**
 * readOrder cut into read requests: the middle slice(s) alone first (the first image waits for nothing else), then
 * runs of `size` consecutive files, so each answer decodes into one contiguous block of slices.
 */
export function readBatches(fileCount: number, size: number): number[][] {
  const order = readOrder(fileCount);
  const first = order.slice(0, fileCount % 2 === 0 ? 2 : 1);
  const batches: number[][] = first.length > 0 ? [first] : [];
  const step = Math.max(1, Math.floor(size));
  for (let i = first.length; i < order.length; i += step) batches.push(order.slice(i, i + step));
  return batches;
}
