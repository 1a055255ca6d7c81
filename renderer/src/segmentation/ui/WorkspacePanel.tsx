import { useState } from 'react';
import { useAppState } from '../../store/store.ts';
import { addTimepoint, bindActiveSeries, createCase, openSegmentation, openWorkspace, selectCase, selectTimepoint, updateAnthropometrics } from '../controller.ts';

const num = (text: string): number | null => (text.trim() === '' ? null : Number(text));

export function WorkspacePanel() {
  const root = useAppState((s) => s.workspaceRoot);
  const cases = useAppState((s) => s.cases);
  const problems = useAppState((s) => s.workspaceProblems);
  const current = useAppState((s) => s.currentCase);
  const timepointId = useAppState((s) => s.timepointId);
  const segStatus = useAppState((s) => s.segStatus);
  const segError = useAppState((s) => s.segError);
  const recoveryNotice = useAppState((s) => s.recoveryNotice);
  const [rootText, setRootText] = useState('');
  const [subject, setSubject] = useState('');
  const [kind, setKind] = useState<'baseline' | 'week-1' | 'week-3' | 'custom'>('baseline');
  const [label, setLabel] = useState('');
  const [date, setDate] = useState('');
  const a = current?.anthropometrics;
  const tp = current?.timepoints.find((t) => t.id === timepointId);
  return (
    <section className="seg-section" data-testid="workspace-panel">
      <h3>Case workspace</h3>
      <div className="row">
        <input data-testid="ws-root" placeholder="/path/to/workspace" value={rootText} onChange={(e) => setRootText(e.target.value)} />
        <button data-testid="ws-open" onClick={() => void openWorkspace(rootText)}>
          Open
        </button>
      </div>
      {root ? <div className="muted small" data-testid="ws-current">{root}</div> : null}
      {problems.map((p) => (
        <div key={p} className="error small">
          {p}
        </div>
      ))}
      {root ? (
        <>
          <div className="row">
            <select data-testid="case-select" value={current?.caseId ?? ''} onChange={(e) => void selectCase(e.target.value)}>
              <option value="">— case —</option>
              {cases.map((c) => (
                <option key={c.caseId} value={c.caseId}>
                  {c.subjectId}
                </option>
              ))}
            </select>
            <input data-testid="case-subject" placeholder="Subject ID" value={subject} onChange={(e) => setSubject(e.target.value)} />
            <button data-testid="case-create" onClick={() => void createCase(subject)}>
              New case
            </button>
          </div>
        </>
      ) : null}
      {current ? (
        <>
          <div className="row">
            <select data-testid="tp-select" value={timepointId ?? ''} onChange={(e) => void selectTimepoint(e.target.value)}>
              <option value="">— timepoint —</option>
              {current.timepoints.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                  {t.scanDate ? ` (${t.scanDate})` : ''}
                  {t.series ? '' : ' — unbound'}
                </option>
              ))}
            </select>
          </div>
          <div className="row">
            <select data-testid="tp-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              <option value="baseline">Baseline</option>
              <option value="week-1">Week 1</option>
              <option value="week-3">Week 3</option>
              <option value="custom">Custom…</option>
            </select>
            {kind === 'custom' ? <input data-testid="tp-label" placeholder="Name" value={label} onChange={(e) => setLabel(e.target.value)} /> : null}
            <input data-testid="tp-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
            <button data-testid="tp-add" onClick={() => void addTimepoint(kind, label, date)}>
              Add
            </button>
          </div>
          {tp ? (
            <div className="row">
              <span className="small muted" data-testid="tp-binding">
                {tp.series ? `Series ${tp.series.seriesInstanceUid}` : 'Not bound to a series'}
              </span>
              <button data-testid="tp-bind" onClick={() => void bindActiveSeries()}>
                Bind to loaded series
              </button>
            </div>
          ) : null}
          <div className="row anthro" data-testid="anthro">
            <label>
              Height m
              <input data-testid="anthro-height" key={`h${a?.heightM}`} defaultValue={a?.heightM ?? ''} onBlur={(e) => void updateAnthropometrics({ heightM: num(e.target.value) })} />
            </label>
            <label>
              Weight kg
              <input data-testid="anthro-weight" key={`w${a?.weightKg}`} defaultValue={a?.weightKg ?? ''} onBlur={(e) => void updateAnthropometrics({ weightKg: num(e.target.value) })} />
            </label>
            <label>
              Sex
              <select data-testid="anthro-sex" value={a?.sex ?? ''} onChange={(e) => void updateAnthropometrics({ sex: (e.target.value || null) as 'F' | 'M' | 'O' | null })}>
                <option value="">—</option>
                <option value="F">F</option>
                <option value="M">M</option>
                <option value="O">O</option>
              </select>
            </label>
            <label>
              Chemo
              <select data-testid="anthro-chemo" value={a?.chemotherapy === null || a?.chemotherapy === undefined ? '' : a.chemotherapy ? 'yes' : 'no'} onChange={(e) => void updateAnthropometrics({ chemotherapy: e.target.value === '' ? null : e.target.value === 'yes' })}>
                <option value="">—</option>
                <option value="no">No</option>
                <option value="yes">Yes</option>
              </select>
            </label>
          </div>
          <div className="small muted" data-testid="anthro-sources">
            {Object.entries(a?.sources ?? {})
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')}
          </div>
          <div className="row">
            <button data-testid="seg-open" disabled={!tp?.series} onClick={() => void openSegmentation()}>
              Open segmentation
            </button>
            <span data-testid="seg-status" data-status={segStatus} className="small">
              {segStatus}
            </span>
          </div>
          {segError ? (
            <div className="error" data-testid="seg-error">
              {segError}
            </div>
          ) : null}
          {recoveryNotice ? (
            <div className="warning" data-testid="recovery-notice">
              {recoveryNotice}
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
