import type { SeriesWarning } from '../api/types.ts';

const icons: Record<SeriesWarning['kind'], string> = {
  gap: '⋯',
  tilt: '∠',
  lossy: '◩',
  identifying: '👤',
  spacing: '↕',
  orientation: '⟲',
  other: '⚠',
};

/** Warnings of the series being viewed; rendered in the viewer header so they stay visible while reading. */
export function WarningList({ warnings }: { warnings: SeriesWarning[] }) {
  return (
    <ul className="warning-list" data-testid="series-warnings">
      {warnings.map((w, i) => (
        <li key={i} className={`warn warn-${w.kind}`}>
          <span aria-hidden="true">{icons[w.kind]}</span> {w.message}
        </li>
      ))}
    </ul>
  );
}
