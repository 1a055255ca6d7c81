import { applyPreset, resetViews, setPrimaryTool } from '../../app/controller.ts';
import { useAppState } from '../../store/store.ts';
import type { PrimaryToolKey } from '../../store/viewer-slice.ts';
import { windowPresets } from '../presets.ts';

const tools: Array<{ id: PrimaryToolKey; label: string; key: string }> = [
  { id: 'crosshairs', label: 'Crosshairs', key: 'C' },
  { id: 'windowLevel', label: 'W/L', key: 'W' },
  { id: 'pan', label: 'Pan', key: 'P' },
  { id: 'zoom', label: 'Zoom', key: 'Z' },
];

export function Toolbar() {
  const presetId = useAppState((s) => s.presetId);
  const primaryTool = useAppState((s) => s.primaryTool);
  const setHelpOpen = useAppState((s) => s.setHelpOpen);
  const show3d = useAppState((s) => s.show3d);
  const setShow3d = useAppState((s) => s.setShow3d);
  return (
    <div className="toolbar" role="toolbar">
      {windowPresets.map((p) => (
        <button
          key={p.id}
          type="button"
          data-testid={`preset-${p.id}`}
          className={p.id === presetId ? 'active' : ''}
          title={`${p.label} (${p.key})`}
          onClick={() => applyPreset(p.id)}
        >
          {p.label}
        </button>
      ))}
      <span className="sep" />
      {tools.map((t) => (
        <button
          key={t.id}
          type="button"
          className={t.id === primaryTool ? 'active' : ''}
          title={`${t.label} (${t.key})`}
          onClick={() => setPrimaryTool(t.id)}
        >
          {t.label}
        </button>
      ))}
      <button type="button" title="Reset views (R)" onClick={() => resetViews()}>
        Reset
      </button>
      <button type="button" data-testid="toggle-3d" className={show3d ? 'active' : ''} title="3D volume view (V)" onClick={() => setShow3d(!show3d)}>
        3D
      </button>
      <button type="button" title="Keyboard shortcuts (? or F1)" onClick={() => setHelpOpen(true)}>
        ?
      </button>
    </div>
  );
}
