import { useState } from 'react';
import { useAppState } from '../../store/store.ts';
import { applyImport, exportNifti, inspectLabelFile } from '../controller.ts';

type Role = 'ignore' | 'liver' | 'tumour' | 'flr';

export function ImportExportPanel() {
  const ready = useAppState((s) => s.segStatus === 'ready');
  const candidate = useAppState((s) => s.importCandidate);
  const exported = useAppState((s) => s.exportedPath);
  const [roles, setRoles] = useState<Record<number, Role>>({});
  if (!ready) return null;
  const roleOf = (n: number, label: string): Role => roles[n] ?? (/liver/i.test(label) ? 'liver' : /flr|remnant/i.test(label) ? 'flr' : /tum|lesion|met/i.test(label) ? 'tumour' : 'ignore');
  const apply = (): void => {
    if (!candidate) return;
    const mapping = { liver: [] as number[], tumours: [] as number[], flr: [] as number[] };
    for (const s of candidate.segments) {
      const r = roleOf(s.segmentNumber, s.label);
      // The whole liver includes tumours and FLR (docs/segment-semantics.md): mapped tumour/FLR segments count as
      // liver too, so an FLR label drawn beside (not inside) a liver label is not clipped away.
      if (r !== 'ignore') mapping.liver.push(s.segmentNumber);
      if (r === 'tumour') mapping.tumours.push(s.segmentNumber);
      else if (r === 'flr') mapping.flr.push(s.segmentNumber);
    }
    void applyImport(mapping);
  };
  return (
    <section className="seg-section" data-testid="import-export-panel">
      <h3>Import / export</h3>
      <label className="small">
        Load labels (NIfTI, NRRD, DICOM SEG)
        <input
          type="file"
          data-testid="import-file"
          accept=".nii,.gz,.nrrd,.dcm,application/dicom"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) await inspectLabelFile(new Uint8Array(await file.arrayBuffer()), file.name);
            e.target.value = '';
          }}
        />
      </label>
      {candidate ? (
        <div className="dialog" data-testid="import-dialog">
          <div className="small">
            {candidate.fileName} ({candidate.format}): assign each segment a role
          </div>
          {candidate.segments.map((s) => (
            <div key={s.segmentNumber} className="row">
              <span className="small">
                #{s.segmentNumber} {s.label} ({s.voxelCount} vx)
              </span>
              <select data-testid={`import-role-${s.segmentNumber}`} value={roleOf(s.segmentNumber, s.label)} onChange={(e) => setRoles({ ...roles, [s.segmentNumber]: e.target.value as Role })}>
                <option value="ignore">Ignore</option>
                <option value="liver">Liver</option>
                <option value="tumour">Tumour</option>
                <option value="flr">FLR</option>
              </select>
            </div>
          ))}
          <button data-testid="import-apply" onClick={apply}>
            Apply (one undoable edit)
          </button>
        </div>
      ) : null}
      <div className="row">
        <button data-testid="export-nifti" onClick={() => void exportNifti()}>
          Export NIfTI
        </button>
      </div>
      {exported ? (
        <div className="small" data-testid="export-path">
          {exported}
        </div>
      ) : null}
    </section>
  );
}
