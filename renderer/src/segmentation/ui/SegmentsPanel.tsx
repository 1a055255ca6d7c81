import { useAppState } from '../../store/store.ts';
import { addTumourSegment, removeTumourSegment, renameSegment, setActiveSegment, setSegmentColor, setSegmentLocked, setSegmentVisible } from '../controller.ts';

const hex = (c: [number, number, number]): string => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const rgb = (h: string): [number, number, number] => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

export function SegmentsPanel() {
  const segments = useAppState((s) => s.segments);
  const active = useAppState((s) => s.activeSegment);
  return (
    <section className="seg-section" data-testid="segments-panel">
      <h3>Segments</h3>
      {segments.map((s) => (
        <div key={s.key} className={`segment-row${s.key === active ? ' active' : ''}`} data-testid={`segment-${s.key}`} data-active={s.key === active}>
          <input type="radio" name="active-segment" data-testid={`segment-active-${s.key}`} checked={s.key === active} onChange={() => setActiveSegment(s.key)} title="Active" />
          <input type="color" data-testid={`segment-color-${s.key}`} value={hex(s.color)} onChange={(e) => setSegmentColor(s.key, rgb(e.target.value))} title="Colour" />
          <input className="segment-name" data-testid={`segment-name-${s.key}`} key={s.name} defaultValue={s.name} onBlur={(e) => e.target.value !== s.name && renameSegment(s.key, e.target.value)} />
          <label title="Visible">
            <input type="checkbox" data-testid={`segment-visible-${s.key}`} checked={s.visible} onChange={(e) => setSegmentVisible(s.key, e.target.checked)} />
            👁
          </label>
          <label title="Locked">
            <input type="checkbox" data-testid={`segment-lock-${s.key}`} checked={s.locked} onChange={(e) => void setSegmentLocked(s.key, e.target.checked)} />
            🔒
          </label>
          {s.key.startsWith('tumour:') ? (
            <button data-testid={`segment-remove-${s.key}`} onClick={() => void removeTumourSegment(s.key)} title="Remove tumour (its voxels become liver)">
              ✕
            </button>
          ) : null}
        </div>
      ))}
      <button data-testid="add-tumour" onClick={() => addTumourSegment()}>
        + Tumour
      </button>
    </section>
  );
}
