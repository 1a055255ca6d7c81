import { shortcutDocs } from '../../app/shortcuts.ts';
import { useAppState } from '../../store/store.ts';

export function HelpOverlay() {
  const open = useAppState((s) => s.helpOpen);
  const setHelpOpen = useAppState((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <div className="help-backdrop" role="dialog" aria-label="Keyboard shortcuts" data-testid="help" onClick={() => setHelpOpen(false)}>
      <div className="help" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard and mouse</h2>
        <table>
          <tbody>
            {shortcutDocs.map((d) => (
              <tr key={d.keys}>
                <th>{d.keys}</th>
                <td>{d.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">Orientation letters follow DICOM LPS: R/L, A/P, S/I. Axial views are shown from the feet (patient right on screen left).</p>
        <button type="button" onClick={() => setHelpOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
