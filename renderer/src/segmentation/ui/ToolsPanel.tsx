import { HU_PRESETS } from '../../../../wasm/src/segmentation/presets.ts';
import type { SegToolKind } from '../../store/segmentation-slice.ts';
import { useAppState } from '../../store/store.ts';
import { clearGrowSeeds, fillBetweenSlices, fillHoles, keepLargestIsland, redo, runGrow, setTool, smooth, undo } from '../controller.ts';

const TOOLS: Array<[SegToolKind, string]> = [
  ['none', 'View'],
  ['brush', 'Brush'],
  ['eraser', 'Eraser'],
  ['threshold', 'Threshold brush'],
  ['scissors', 'Scissors'],
  ['grow', 'Grow from seeds'],
  ['cut-plane', 'FLR cut plane'],
  ['keep-island', 'Keep selected island'],
];

export function ToolsPanel() {
  const tool = useAppState((s) => s.tool);
  const ready = useAppState((s) => s.segStatus === 'ready');
  const busy = useAppState((s) => s.busy);
  const seeds = useAppState((s) => s.growSeeds);
  const cutPoints = useAppState((s) => s.cutPoints);
  const history = useAppState((s) => s.history);
  const lastEdit = useAppState((s) => s.lastEdit);
  const editError = useAppState((s) => s.editError);
  const num = (v: string): number => Number(v);
  return (
    <section className="seg-section" data-testid="tools-panel" data-busy={busy}>
      <h3>Tools</h3>
      <div className="tool-grid">
        {TOOLS.map(([kind, label]) => (
          <button key={kind} data-testid={`tool-${kind}`} className={tool.kind === kind ? 'active' : ''} disabled={!ready && kind !== 'none'} onClick={() => setTool({ kind })}>
            {label}
          </button>
        ))}
      </div>
      {['brush', 'eraser', 'threshold', 'grow'].includes(tool.kind) ? (
        <div className="row">
          {tool.kind !== 'grow' ? (
            <select data-testid="brush-shape" value={tool.brushShape} onChange={(e) => setTool({ brushShape: e.target.value as 'circle' | 'sphere' })}>
              <option value="circle">Circle</option>
              <option value="sphere">Sphere</option>
            </select>
          ) : null}
          <label>
            Radius mm
            <input data-testid="brush-radius" type="number" min={0.5} step={0.5} value={tool.radiusMm} onChange={(e) => setTool({ radiusMm: Math.max(0.5, num(e.target.value)) })} />
          </label>
        </div>
      ) : null}
      {tool.kind === 'threshold' ? (
        <div className="row">
          <select data-testid="hu-preset" value={tool.presetId} onChange={(e) => setTool({ presetId: e.target.value })}>
            {HU_PRESETS.map((p) => (
              <option key={p.id} value={p.id} title={p.note}>
                {p.name}
              </option>
            ))}
          </select>
          <input data-testid="hu-min" type="number" value={tool.huMin} onChange={(e) => setTool({ huMin: num(e.target.value) })} />
          <input data-testid="hu-max" type="number" value={tool.huMax} onChange={(e) => setTool({ huMax: num(e.target.value) })} />
          <span className="small">HU</span>
        </div>
      ) : null}
      {tool.kind === 'scissors' ? (
        <div className="row">
          <select data-testid="scissors-shape" value={tool.scissorsShape} onChange={(e) => setTool({ scissorsShape: e.target.value as 'rectangle' | 'circle' | 'sphere' })}>
            <option value="rectangle">Rectangle (through the volume)</option>
            <option value="circle">Circle (through the volume)</option>
            <option value="sphere">Sphere</option>
          </select>
          <select data-testid="scissors-mode" value={tool.scissorsMode} onChange={(e) => setTool({ scissorsMode: e.target.value as 'fill' | 'erase' })}>
            <option value="fill">Fill</option>
            <option value="erase">Erase</option>
          </select>
        </div>
      ) : null}
      {tool.kind === 'grow' ? (
        <div className="row">
          <select data-testid="grow-seed" value={tool.growSeed} onChange={(e) => setTool({ growSeed: e.target.value as 'inside' | 'outside' })}>
            <option value="inside">Strokes inside</option>
            <option value="outside">Strokes outside</option>
          </select>
          <span className="small" data-testid="grow-seeds">
            {seeds.inside} inside, {seeds.outside} outside
          </span>
          <button data-testid="grow-run" disabled={busy || seeds.inside === 0 || seeds.outside === 0} onClick={() => void runGrow()}>
            Grow
          </button>
          <button onClick={() => clearGrowSeeds()}>Clear</button>
        </div>
      ) : null}
      {tool.kind === 'cut-plane' ? (
        <div className="row">
          <select data-testid="cut-mode" value={tool.cutMode} onChange={(e) => setTool({ cutMode: e.target.value as 'three-points' | 'line' })}>
            <option value="three-points">Three points</option>
            <option value="line">Line in a view</option>
          </select>
          <span className="small" data-testid="cut-hint">
            {tool.cutMode === 'three-points' ? (cutPoints < 3 ? `click point ${cutPoints + 1} of 3` : 'click on the FLR side') : cutPoints === 0 ? 'drag the cut line' : 'click on the FLR side'}
          </span>
        </div>
      ) : null}
      <div className="row">
        <button data-testid="fill-between" disabled={!ready || busy} onClick={() => void fillBetweenSlices()}>
          Fill between slices
        </button>
        <button data-testid="keep-largest" disabled={!ready || busy} onClick={() => void keepLargestIsland()}>
          Keep largest island
        </button>
        <button data-testid="fill-holes" disabled={!ready || busy} onClick={() => void fillHoles()}>
          Fill holes
        </button>
      </div>
      <div className="row">
        <button data-testid="smooth" disabled={!ready || busy} onClick={() => void smooth()}>
          Smooth
        </button>
        <label>
          mm
          <input data-testid="smooth-radius" type="number" min={0.5} step={0.5} value={tool.smoothRadiusMm} onChange={(e) => setTool({ smoothRadiusMm: Math.max(0.5, num(e.target.value)) })} />
        </label>
      </div>
      <div className="row">
        <button data-testid="undo" disabled={!ready || busy || history.undo.length === 0} onClick={() => void undo()} title="Ctrl+Z">
          Undo
        </button>
        <button data-testid="redo" disabled={!ready || busy || history.redo.length === 0} onClick={() => void redo()} title="Ctrl+Shift+Z / Ctrl+Y">
          Redo
        </button>
      </div>
      {lastEdit?.notice ? (
        <div className="warning small" data-testid="edit-notice">
          {lastEdit.notice}
        </div>
      ) : null}
      {editError ? (
        <div className="error small" data-testid="edit-error">
          {editError}
        </div>
      ) : null}
      <ol className="history small" data-testid="history">
        {history.undo.map((e) => (
          <li key={e.id} data-testid="history-item" title={new Date(e.timestampMs).toLocaleString()}>
            {e.description}
          </li>
        ))}
        {history.redo.map((e) => (
          <li key={e.id} className="muted" data-testid="history-redo-item">
            (undone) {e.description}
          </li>
        ))}
      </ol>
    </section>
  );
}
