import { useAppState } from '../../store/store.ts';

const ml = (v: number | null): string => (v === null ? '—' : v.toFixed(1));
const shown = (t: string): string => (t === 'n/a' ? '—' : t);

export function VolumetryPanel() {
  const v = useAppState((s) => s.volumetry);
  const segments = useAppState((s) => s.segments);
  const editCount = useAppState((s) => s.editCount);
  const lastEdit = useAppState((s) => s.lastEdit);
  const saveStatus = useAppState((s) => s.saveStatus);
  const saveError = useAppState((s) => s.saveError);
  if (!v) return null;
  const name = (key: string): string => (key === 'tlv-measured' ? 'TLV measured (liver − tumours)' : (segments.find((s) => s.key === key)?.name ?? key));
  return (
    <section className="seg-section" data-testid="volumetry-panel" data-edit-count={editCount} data-last-total-ms={lastEdit?.totalMs ?? ''} data-last-engine-ms={lastEdit?.engineMs ?? ''}>
      <h3>Volumetry</h3>
      <table className="vol-table">
        <tbody>
          {v.rows.map((r) => (
            <tr key={r.key} data-testid={`vol-row-${r.key}`} data-voxels={r.voxelCount} data-ml={r.volumeMl}>
              <td>{name(r.key)}</td>
              <td className="num">{ml(r.volumeMl)} mL</td>
              <td className="num small muted">{r.voxelCount} vx</td>
              <td>{r.touchesFovEdge && r.key !== 'tlv-measured' ? <span className="warning" title={`touches ${r.fovEdgeFaces.join(', ')}`}>⚠ FOV edge</span> : null}</td>
            </tr>
          ))}
          <tr data-testid="vol-bsa">
            <td>BSA</td>
            <td className="num">{v.bsaM2 === null ? '—' : `${v.bsaM2.toFixed(2)} m²`}</td>
          </tr>
          <tr data-testid="vol-stlv" data-ml={v.stlvMl ?? ''}>
            <td>sTLV</td>
            <td className="num">{ml(v.stlvMl)} mL</td>
          </tr>
          <tr data-testid="vol-sflr" data-pct={v.sflrPct ?? ''}>
            <td>sFLR</td>
            <td className="num">{shown(v.text.sflr)}</td>
          </tr>
          <tr data-testid="vol-flr-tlv" data-pct={v.flrToTlvMeasuredPct ?? ''}>
            <td>FLR / TLV measured</td>
            <td className="num">{shown(v.text.flrToTlvMeasured)}</td>
          </tr>
          <tr data-testid="vol-flr-bw" data-pct={v.flrToBodyWeightPct ?? ''}>
            <td>FLR / body weight</td>
            <td className="num">{shown(v.text.flrToBodyWeight)}</td>
          </tr>
        </tbody>
      </table>
      <div className={`verdict verdict-${v.verdict.status}`} data-testid="verdict" data-status={v.verdict.status}>
        {v.verdict.status}: {v.verdict.reason}
      </div>
      <div className="small muted">
        Thresholds ({v.thresholds.verdictRatio}): {v.thresholds.normalLiverPct}% normal liver, {v.thresholds.chemotherapyDamagedLiverPct}% chemotherapy-damaged liver
      </div>
      {v.flags.map((f) => (
        <div key={f} className="warning small" data-testid="vol-flag">
          {f}
        </div>
      ))}
      <details>
        <summary className="small">Formulas</summary>
        <ul className="small">
          {v.formulas.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      </details>
      <div className="small muted" data-testid="save-status" data-status={saveStatus}>
        {saveStatus === 'saved' ? 'All edits saved' : saveStatus === 'saving' ? 'Saving…' : saveStatus === 'error' ? saveError : ''}
        {lastEdit ? ` · last edit ${lastEdit.totalMs.toFixed(0)} ms (engine ${lastEdit.engineMs.toFixed(0)} ms)` : ''}
      </div>
    </section>
  );
}
