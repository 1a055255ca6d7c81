import { useEffect, useState } from 'react';
import type { ReportPreview, SignExportResult, SignedReportEntry } from '../../../../electron/src/ipc/contract.ts';
import { useAppState } from '../../store/store.ts';
import { cosign, listReports, loadPreview, messageOf, signExport } from '../controller.ts';
import { SIGNATURE_MEANINGS, defaultMeaning, keyValidityText, previewModel } from '../preview-model.ts';
import type { Row } from '../preview-model.ts';

function Rows({ rows, testid }: { rows: Row[]; testid: string }) {
  return (
    <table className="kv" data-testid={testid}>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <td className="muted">{k}</td>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The report content exactly as it will be signed: same sections and numbers as the PDF, same key images. */
function Preview({ preview }: { preview: ReportPreview }) {
  const m = previewModel(preview);
  return (
    <div className="sign-preview" data-testid="sign-preview">
      <h4>{m.title}</h4>
      <div className={`verdict verdict-${m.verdict.status}`} data-testid="preview-verdict" data-status={m.verdict.status}>
        {m.verdict.text}
      </div>
      <h5>Identification</h5>
      <Rows rows={m.identification} testid="preview-identification" />
      <h5>Anthropometrics</h5>
      <Rows rows={m.anthropometrics} testid="preview-anthropometrics" />
      <h5>Volumes</h5>
      <table className="vol-table">
        <thead>
          <tr>
            <th>Structure</th>
            <th className="num">Voxels</th>
            <th className="num">Volume (mL)</th>
          </tr>
        </thead>
        <tbody>
          {m.volumes.map((v) => (
            <tr key={v.key} data-testid={`preview-vol-${v.key}`} data-voxels={v.voxels} data-ml={v.ml}>
              <td>{v.label}</td>
              <td className="num">{v.voxels}</td>
              <td className="num">{v.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="small muted">{m.voxelNote}</div>
      <h5>Formulas and constants</h5>
      <ul className="small">
        {m.formulas.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <h5>Ratios, thresholds and verdict</h5>
      <table className="vol-table">
        <tbody>
          {m.ratios.map((r) => (
            <tr key={r.key} data-testid={`preview-${r.key}`} data-pct={r.pct ?? ''}>
              <td>{r.label}</td>
              <td className="num">{r.text}</td>
              <td className="small muted">{r.basis ? 'basis of verdict' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Rows rows={m.thresholds} testid="preview-thresholds" />
      <h5>Growth since baseline</h5>
      {m.growth ? <Rows rows={m.growth} testid="preview-growth" /> : <div className="small muted" data-testid="preview-growth-note">{m.growthNote ?? 'No baseline timepoint in this case.'}</div>}
      <h5>Key images</h5>
      <div className="key-images">
        {preview.keyImages.map((k) => (
          <figure key={k.plane} data-testid="preview-key-image" data-plane={k.plane} data-sha256={k.pngSha256}>
            <div className="key-image-box">
              <img src={`data:image/png;base64,${k.pngBase64}`} width={k.width} height={k.height} alt={`${k.plane} key image`} />
              <span className="ori ori-top">{k.orientation.top}</span>
              <span className="ori ori-bottom">{k.orientation.bottom}</span>
              <span className="ori ori-left">{k.orientation.left}</span>
              <span className="ori ori-right">{k.orientation.right}</span>
            </div>
            <figcaption className="small">
              {k.plane === 'axial' ? 'Axial' : 'Coronal'}: {['i', 'j', 'k'][k.throughAxis]} = {k.sliceIndex + 1} of {k.sliceCount} ({k.reason}); window C {Math.round(k.window.center)} / W {Math.round(k.window.width)} {k.window.units}
            </figcaption>
          </figure>
        ))}
      </div>
      <h5>Quality control</h5>
      {m.qc.length === 0 ? <div className="small">No QC findings.</div> : null}
      {m.qc.map((f) => (
        <div key={`${f.code}${f.message}`} className={`small ${f.severity === 'info' ? 'muted' : 'warning'}`} data-testid="preview-qc">
          [{f.severity}] {f.code}: {f.message}
        </div>
      ))}
      <h5>Provenance</h5>
      <Rows rows={m.provenance} testid="preview-provenance" />
    </div>
  );
}

function Result({ result }: { result: SignExportResult }) {
  return (
    <div data-testid="sign-result">
      <div className="verdict verdict-sufficient">
        Signed by {result.signer.name} ({result.signer.role}) at {result.signedAt}: “{result.signer.meaning}”
      </div>
      <div className="small">Certificate {result.signer.certificateSubject}, SHA-256 {result.signer.certificateSha256}</div>
      <div className="small">
        {result.files.length} files written to <span data-testid="sign-result-dir">{result.outDir}</span>:
      </div>
      <table className="files-table">
        <thead>
          <tr>
            <th>File</th>
            <th>SHA-256</th>
            <th className="num">Bytes</th>
          </tr>
        </thead>
        <tbody>
          {result.files.map((f) => (
            <tr key={f.path} data-testid="sign-file" data-path={f.path} data-sha256={f.sha256} title={f.path}>
              <td>{f.name}</td>
              <td className="mono small">{f.sha256}</td>
              <td className="num small">{f.bytes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Key, signer, meaning and the passphrase prompt (asked every time, cleared after every attempt). */
function SignerFields(props: {
  keyId: string;
  setKeyId: (v: string) => void;
  name: string;
  setName: (v: string) => void;
  role: string;
  setRole: (v: string) => void;
  meaning: string;
  setMeaning: (v: string) => void;
  pass: string;
  setPass: (v: string) => void;
  prefix: string;
}) {
  const keys = useAppState((s) => s.keys);
  const p = props.prefix;
  return (
    <>
      <div className="row">
        <label className="small">
          Key{' '}
          <select
            data-testid={`${p}-key`}
            value={props.keyId}
            onChange={(e) => {
              props.setKeyId(e.target.value);
              const k = keys.find((x) => x.id === e.target.value);
              if (k) {
                props.setName(k.commonName);
                if (k.role) {
                  props.setRole(k.role);
                  props.setMeaning(defaultMeaning(k.role));
                }
              }
            }}
          >
            <option value="">— choose a reviewer key —</option>
            {keys.map((k) => (
              <option key={k.id} value={k.id} disabled={k.status !== 'valid'}>
                {k.commonName} — {keyValidityText(k)} — {k.sha256.slice(0, 16)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <input data-testid={`${p}-name`} placeholder="Signer name (Family^Given)" value={props.name} onChange={(e) => props.setName(e.target.value)} />
        <input data-testid={`${p}-role`} placeholder="Role" value={props.role} onChange={(e) => props.setRole(e.target.value)} />
      </div>
      <div className="row">
        <select data-testid={`${p}-meaning-choice`} value={SIGNATURE_MEANINGS.includes(props.meaning as (typeof SIGNATURE_MEANINGS)[number]) ? props.meaning : ''} onChange={(e) => e.target.value && props.setMeaning(e.target.value)}>
          <option value="">— meaning —</option>
          {SIGNATURE_MEANINGS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <input data-testid={`${p}-meaning`} className="wide" value={props.meaning} onChange={(e) => props.setMeaning(e.target.value)} />
      </div>
      <div className="row">
        <input data-testid={`${p}-passphrase`} type="password" autoComplete="off" placeholder="Key passphrase" value={props.pass} onChange={(e) => props.setPass(e.target.value)} />
      </div>
    </>
  );
}

function SignDialog({ onClose }: { onClose: () => void }) {
  const keys = useAppState((s) => s.keys);
  const [preview, setPreview] = useState<ReportPreview | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [result, setResult] = useState<SignExportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const firstValid = keys.find((k) => k.status === 'valid');
  const [keyId, setKeyId] = useState(firstValid?.id ?? '');
  const [name, setName] = useState(firstValid?.commonName ?? '');
  const [role, setRole] = useState(firstValid?.role ?? 'Reviewer');
  const [meaning, setMeaning] = useState(defaultMeaning(firstValid?.role ?? 'Reviewer'));
  const [outDir, setOutDir] = useState('');
  const [pass, setPass] = useState('');
  useEffect(() => {
    let live = true;
    loadPreview()
      .then((p) => {
        if (!live) return;
        setPreview(p);
        setOutDir(p.defaultOutDir);
      })
      .catch((e: unknown) => live && setError(messageOf(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, []);
  // Nothing of the passphrase survives the dialog.
  useEffect(() => () => setPass(''), []);
  const submit = async (): Promise<void> => {
    if (!preview) return;
    setError('');
    if (!keyId) {
      setError('choose a reviewer key');
      return;
    }
    if (pass === '') {
      setError('type the passphrase of the key');
      return;
    }
    const passphrase = pass;
    setPass('');
    setBusy(true);
    try {
      setResult(await signExport({ previewId: preview.previewId, keyId, passphrase, signerName: name.trim(), signerRole: role.trim(), meaning: meaning.trim(), outDir }));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <div className="modal" data-testid="sign-dialog" role="dialog" aria-label="Sign and export">
        <div className="modal-head">
          <h3>Sign &amp; export</h3>
          <button data-testid="sign-close" onClick={onClose}>
            Close
          </button>
        </div>
        {loading ? <div data-testid="sign-loading">Measuring the saved segmentation…</div> : null}
        {result ? (
          <Result result={result} />
        ) : (
          <div className="modal-body">
            {preview ? <Preview preview={preview} /> : null}
            {preview ? (
              <div className="sign-form" data-testid="sign-form">
                <h4>Signature</h4>
                <SignerFields keyId={keyId} setKeyId={setKeyId} name={name} setName={setName} role={role} setRole={setRole} meaning={meaning} setMeaning={setMeaning} pass={pass} setPass={setPass} prefix="sign" />
                <div className="row">
                  <label className="small wide">
                    Output folder <input data-testid="sign-outdir" className="wide" value={outDir} onChange={(e) => setOutDir(e.target.value)} />
                  </label>
                </div>
                <div className="small muted">Will write: {preview.fileNames.join(', ')}</div>
                {previewModel(preview).signBlocker ? (
                  <div className="error" data-testid="sign-blocker">
                    {previewModel(preview).signBlocker}
                  </div>
                ) : null}
                <button data-testid="sign-submit" disabled={busy || previewModel(preview).signBlocker !== null} onClick={() => void submit()}>
                  {busy ? 'Signing…' : 'Sign & export'}
                </button>
              </div>
            ) : null}
          </div>
        )}
        {error ? (
          <div className="error" data-testid="sign-error">
            {error}
          </div>
        ) : null}
      </div>
    </div>
  );
}

function CosignForm() {
  const [reports, setReports] = useState<SignedReportEntry[]>([]);
  const [pdfPath, setPdfPath] = useState('');
  const [keyId, setKeyId] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('Adjudicator');
  const [meaning, setMeaning] = useState('Adjudicator: volumetry adjudicated and approved');
  const [pass, setPass] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    listReports()
      .then((r) => {
        setReports(r);
        setPdfPath(r[0]?.pdfPath ?? '');
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);
  const submit = async (): Promise<void> => {
    setError('');
    setMessage('');
    const passphrase = pass;
    setPass('');
    try {
      const r = await cosign({ pdfPath, keyId, passphrase, signerName: name.trim(), signerRole: role.trim(), meaning: meaning.trim() });
      setMessage(`Co-signed: ${r.signatures} signatures; SHA-256 ${r.sha256}`);
      setReports(await listReports());
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <div className="dialog" data-testid="cosign-form">
      {reports.length === 0 ? <div className="small muted">No signed report for this timepoint yet.</div> : null}
      <select data-testid="cosign-report" value={pdfPath} onChange={(e) => setPdfPath(e.target.value)}>
        {reports.map((r) => (
          <option key={r.pdfPath} value={r.pdfPath}>
            {r.pdfPath.split(/[\\/]/).slice(-2).join('/')} — {r.signatures} signature{r.signatures === 1 ? '' : 's'}
          </option>
        ))}
      </select>
      <SignerFields keyId={keyId} setKeyId={setKeyId} name={name} setName={setName} role={role} setRole={setRole} meaning={meaning} setMeaning={setMeaning} pass={pass} setPass={setPass} prefix="cosign" />
      <button data-testid="cosign-submit" disabled={!pdfPath || !keyId} onClick={() => void submit()}>
        Co-sign
      </button>
      {message ? <div className="small" data-testid="cosign-result">{message}</div> : null}
      {error ? <div className="error small" data-testid="cosign-error">{error}</div> : null}
    </div>
  );
}

export function SignExportPanel() {
  const ready = useAppState((s) => s.segStatus === 'ready');
  const open = useAppState((s) => s.signDialogOpen);
  const setReport = useAppState((s) => s.setReport);
  const [cosignOpen, setCosignOpen] = useState(false);
  if (!ready) return null;
  return (
    <section className="seg-section" data-testid="sign-export-panel">
      <h3>Signed report</h3>
      <div className="row">
        <button data-testid="sign-open" onClick={() => setReport({ signDialogOpen: true })}>
          Sign &amp; export…
        </button>
        <button data-testid="cosign-open" onClick={() => setCosignOpen(!cosignOpen)}>
          Co-sign a report…
        </button>
      </div>
      {cosignOpen ? <CosignForm /> : null}
      {open ? <SignDialog onClose={() => setReport({ signDialogOpen: false })} /> : null}
    </section>
  );
}
