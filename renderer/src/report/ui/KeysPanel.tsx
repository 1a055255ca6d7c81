import { useEffect, useState } from 'react';
import { useAppState } from '../../store/store.ts';
import { createKey, importKey, refreshKeys } from '../controller.ts';
import { fingerprintText, keyValidityText } from '../preview-model.ts';

/** Reviewer keys of the workspace keystore: list (subject, validity, fingerprint), create self-signed, import .p12. */
export function KeysPanel() {
  const root = useAppState((s) => s.workspaceRoot);
  const keys = useAppState((s) => s.keys);
  const problems = useAppState((s) => s.keyProblems);
  const error = useAppState((s) => s.keyError);
  const busy = useAppState((s) => s.keyBusy);
  const [mode, setMode] = useState<'none' | 'create' | 'import'>('none');
  const [name, setName] = useState('');
  const [org, setOrg] = useState('');
  const [role, setRole] = useState('Reviewer');
  const [days, setDays] = useState('730');
  // Passphrases live only in these fields, cleared after every attempt.
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const [file, setFile] = useState<{ name: string; bytes: Uint8Array } | null>(null);
  const [localError, setLocalError] = useState('');
  useEffect(() => {
    void refreshKeys();
  }, [root]);
  if (!root) return null;
  const clearSecrets = (): void => {
    setPass('');
    setPass2('');
  };
  const submitCreate = async (): Promise<void> => {
    setLocalError('');
    if (pass !== pass2) {
      clearSecrets();
      setLocalError('the two passphrases differ');
      return;
    }
    const passphrase = pass;
    clearSecrets();
    if (await createKey({ commonName: name.trim(), organization: org.trim(), role: role.trim(), validDays: Math.round(Number(days)), passphrase })) setMode('none');
  };
  const submitImport = async (): Promise<void> => {
    setLocalError('');
    if (!file) {
      setLocalError('choose a .p12 / .pfx file first');
      return;
    }
    const passphrase = pass;
    clearSecrets();
    if (await importKey(file.name, file.bytes, passphrase, role.trim())) {
      setMode('none');
      setFile(null);
    }
  };
  return (
    <section className="seg-section" data-testid="keys-panel">
      <h3>Reviewer keys</h3>
      {keys.length === 0 ? <div className="small muted">No reviewer key in this workspace yet.</div> : null}
      <ul className="key-list">
        {keys.map((k) => (
          <li key={k.id} data-testid="key-item" data-key-id={k.id} data-status={k.status} className={k.status === 'valid' ? '' : 'key-invalid'}>
            <div className="small">
              <b>{k.commonName}</b> {k.role ? `(${k.role})` : ''} {k.status !== 'valid' ? <span className="error" data-testid="key-expired">{keyValidityText(k)}</span> : <span className="muted">{keyValidityText(k)}</span>}
            </div>
            <div className="small muted">{k.subject}{k.selfSigned ? ' · self-signed' : ` · issued by ${k.issuer}`} · {k.source}</div>
            <div className="small muted mono" title="SHA-256 fingerprint of the certificate">SHA-256 {fingerprintText(k.sha256)}</div>
          </li>
        ))}
      </ul>
      {problems.map((p) => (
        <div key={p} className="error small">
          {p}
        </div>
      ))}
      <div className="row">
        <button data-testid="key-new" onClick={() => setMode(mode === 'create' ? 'none' : 'create')}>
          New self-signed key…
        </button>
        <button data-testid="key-import" onClick={() => setMode(mode === 'import' ? 'none' : 'import')}>
          Import .p12…
        </button>
      </div>
      {mode === 'create' ? (
        <div className="dialog" data-testid="key-create-form">
          <div className="row">
            <input data-testid="key-name" placeholder="Reviewer name" value={name} onChange={(e) => setName(e.target.value)} />
            <input data-testid="key-org" placeholder="Organisation / trial site" value={org} onChange={(e) => setOrg(e.target.value)} />
          </div>
          <div className="row">
            <input data-testid="key-role" placeholder="Role" value={role} onChange={(e) => setRole(e.target.value)} />
            <label className="small">
              valid for <input data-testid="key-days" type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} /> days
            </label>
          </div>
          <div className="row">
            <input data-testid="key-pass" type="password" autoComplete="new-password" placeholder="Passphrase (8+ characters)" value={pass} onChange={(e) => setPass(e.target.value)} />
            <input data-testid="key-pass2" type="password" autoComplete="new-password" placeholder="Repeat passphrase" value={pass2} onChange={(e) => setPass2(e.target.value)} />
          </div>
          <div className="small muted">The key is stored in the workspace keystore folder, encrypted under this passphrase (AES-256). The passphrase itself is never stored: you type it at every signing.</div>
          <button data-testid="key-create-submit" disabled={busy} onClick={() => void submitCreate()}>
            {busy ? 'Creating…' : 'Create key'}
          </button>
        </div>
      ) : null}
      {mode === 'import' ? (
        <div className="dialog" data-testid="key-import-form">
          <input
            type="file"
            data-testid="key-import-file"
            accept=".p12,.pfx,application/x-pkcs12"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) setFile({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
              e.target.value = '';
            }}
          />
          {file ? <div className="small">{file.name}</div> : null}
          <div className="row">
            <input data-testid="key-import-role" placeholder="Role" value={role} onChange={(e) => setRole(e.target.value)} />
            <input data-testid="key-import-pass" type="password" autoComplete="off" placeholder="Its passphrase" value={pass} onChange={(e) => setPass(e.target.value)} />
          </div>
          <div className="small muted">The file is copied into the keystore folder as it is (still encrypted); the passphrase only checks that it opens.</div>
          <button data-testid="key-import-submit" disabled={busy} onClick={() => void submitImport()}>
            Import
          </button>
        </div>
      ) : null}
      {localError || error ? (
        <div className="error small" data-testid="key-error">
          {localError || error}
        </div>
      ) : null}
    </section>
  );
}
