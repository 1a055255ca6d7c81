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

/** Warnings of a series: listed in the study browser (before viewing) and in the viewer header (while viewing). */
export function WarningList({ warnings, testId = 'series-warnings' }: { warnings: SeriesWarning[]; testId?: string }) {
  return (
    <ul className="warning-list" data-testid={testId}>
      {warnings.map((w, i) => (
        <li key={i} className={`warn warn-${w.kind}`}>
          <span aria-hidden="true">{icons[w.kind]}</span> {w.message}
        </li>
      ))}
    </ul>
  );
}
