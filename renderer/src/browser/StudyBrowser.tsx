import { useState } from 'react';
import type { SeriesSummary, SeriesWarning } from '../api/types.ts';
import { openFolder, openSeries, pickFolder } from '../app/controller.ts';
import { useAppState } from '../store/store.ts';
import { WarningList } from './WarningList.tsx';

function formatSpacing(series: SeriesSummary): string {
  const s = series.spacingMm;
  return s ? `${s[0].toFixed(2)}×${s[1].toFixed(2)}×${s[2].toFixed(2)} mm` : '—';
}

export function StudyBrowser({ canPickFolder }: { canPickFolder: boolean }) {
  const folderPath = useAppState((s) => s.folderPath);
  const status = useAppState((s) => s.indexStatus);
  const error = useAppState((s) => s.indexError);
  const index = useAppState((s) => s.folderIndex);
  const activeSeriesId = useAppState((s) => s.activeSeriesId);
  const [draft, setDraft] = useState(folderPath);

  return (
    <aside className="browser" data-testid="study-browser">
      <form
        className="folder-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim()) void openFolder(draft.trim());
        }}
      >
        {canPickFolder ? (
          <button type="button" onClick={() => void pickFolder()}>
            Open folder…
          </button>
        ) : null}
        <input
          aria-label="Folder path"
          data-testid="folder-path"
          placeholder="/path/to/dicom/folder"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" data-testid="open-folder">
          Open
        </button>
      </form>
      {status === 'indexing' ? <p className="muted">Indexing {folderPath}…</p> : null}
      {status === 'failed' ? <p className="error">Could not index: {error}</p> : null}
      {index?.studies.length === 0 ? <p className="muted">No image series found.</p> : null}
      {index?.studies.map((study) => (
        <section key={study.studyInstanceUid} className="study">
          <h3>
            {study.description || 'Study'} <span className="muted">{study.studyDate ?? ''}</span>
          </h3>
          <p className="muted small">
            {study.patientId ?? ''} {study.patientName ?? ''}
          </p>
          <ul className="series-list">
            {study.series.map((series) => (
              <li key={series.id}>
                <button
                  type="button"
                  className={series.id === activeSeriesId ? 'series active' : 'series'}
                  data-testid="series-item"
                  data-series-id={series.id}
                  onClick={() => void openSeries(series)}
                >
                  <span className="modality">{series.modality}</span>
                  <span className="desc">{series.description || `Series ${series.seriesNumber ?? ''}`}</span>
                  <span className="muted small">
                    {series.sliceCount} slices · {series.columns ?? '?'}×{series.rows ?? '?'} · {formatSpacing(series)}
                  </span>
                  <WarningIcons warnings={series.warnings} />
                </button>
                {series.warnings.length > 0 ? <WarningList warnings={series.warnings} testId="browser-warnings" /> : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {index && index.nonImageCount > 0 ? <p className="muted small">{index.nonImageCount} non-image object(s) (SEG, SR, …) not listed</p> : null}
      {index && index.skipped.length > 0 ? (
        <details className="skipped" data-testid="index-errors" open={index.skipped.length <= 5}>
          <summary className="error">{index.skipped.length} file(s) could not be indexed</summary>
          <ul>
            {index.skipped.slice(0, 200).map((s) => (
              <li key={s.path} className="small">
                {s.path}: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </aside>
  );
}

function WarningIcons({ warnings }: { warnings: SeriesWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <span className="warning-icons" title={warnings.map((w) => w.message).join('\n')}>
      {warnings.map((w, i) => (
        <span key={i} className={`warn warn-${w.kind}`}>
          ⚠ {w.kind}
        </span>
      ))}
    </span>
  );
}
