import { cancelLoad } from '../../app/controller.ts';
import { WarningList } from '../../browser/WarningList.tsx';
import { estimateTimeLeftMs, formatTimeLeft, progressFraction } from '../../series/progress.ts';
import { useAppState } from '../../store/store.ts';

/** Load progress + cancel, per-file errors, and the active series' warnings (kept visible while viewing). */
export function LoadStatus() {
  const status = useAppState((s) => s.loadStatus);
  const progress = useAppState((s) => s.progress);
  const error = useAppState((s) => s.loadError);
  const fileErrors = useAppState((s) => s.fileErrors);
  const info = useAppState((s) => s.volumeInfo);
  const timings = useAppState((s) => s.timings);
  const index = useAppState((s) => s.folderIndex);
  const activeSeriesId = useAppState((s) => s.activeSeriesId);
  const note = useAppState((s) => s.loadNote);
  const series = index?.studies.flatMap((s) => s.series).find((s) => s.id === activeSeriesId);

  return (
    <div className="load-status" data-testid="load-status" data-status={status}>
      {series ? (
        <span className="series-title">
          {series.modality} · {series.description}
        </span>
      ) : null}
      {status === 'loading' && progress ? (
        <span className="progress">
          <progress value={progressFraction(progress)} max={1} />
          <span data-testid="load-progress">
            read {progress.filesRead}/{progress.totalFiles} · decoded {progress.filesDecoded}
            {progress.filesFailed > 0 ? ` · failed ${progress.filesFailed}` : ''} · left {formatTimeLeft(estimateTimeLeftMs(progress))}
          </span>
          <button type="button" data-testid="cancel-load" onClick={() => cancelLoad()}>
            Cancel
          </button>
        </span>
      ) : null}
      {note && status === 'loading' ? <span className="muted small">{note}</span> : null}
      {status === 'ready' && info ? (
        <span className="muted small" data-testid="volume-info">
          {info.sizeIJK.join('×')} · {info.spacingMm.map((s) => s.toFixed(2)).join('×')} mm · first image {Math.round(timings.firstImageMs ?? 0)} ms ·
          loaded in {Math.round(timings.fullVolumeMs ?? 0)} ms{info.decoder === 'fallback' ? ' · decoded by itk-wasm' : ''}
        </span>
      ) : null}
      {status === 'ready' && info && info.problems.length > 0 ? (
        <span className="error" data-testid="volume-problems">
          {info.problems.join(' · ')}
        </span>
      ) : null}
      {status === 'failed' ? <span className="error">Load failed: {error}</span> : null}
      {status === 'cancelled' ? <span className="muted">Load cancelled</span> : null}
      {series && series.warnings.length > 0 ? <WarningList warnings={series.warnings} /> : null}
      {fileErrors.length > 0 ? (
        <details className="file-errors" data-testid="file-errors">
          <summary className="error">{fileErrors.length} file(s) could not be loaded</summary>
          <ul>
            {fileErrors.slice(0, 100).map((e) => (
              <li key={e.file} className="small">
                {e.file}: {e.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
