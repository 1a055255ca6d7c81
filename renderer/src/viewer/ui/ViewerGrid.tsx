import { useEffect, useRef } from 'react';
import { attachViewer, setActiveViewport } from '../../app/controller.ts';
import type { MprViewer } from '../cornerstone/mpr-viewer.ts';
import { appStore, useAppState } from '../../store/store.ts';
import type { MprViewportKey } from '../../store/viewer-slice.ts';
import { createMprViewer } from '../cornerstone/mpr-viewer.ts';
import type { ViewportId } from '../cornerstone/mpr-viewer.ts';
import { orientationMarkers } from '../orientation.ts';

const titles: Record<ViewportId, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal', volume3d: '3D' };
const axisNames: Record<MprViewportKey, string> = { axial: 'z', coronal: 'y', sagittal: 'x' };

export function ViewerGrid() {
  const refs = useRef<Partial<Record<ViewportId, HTMLDivElement | null>>>({});
  const viewerRef = useRef<MprViewer | undefined>(undefined);
  const show3d = useAppState((s) => s.show3d);

  useEffect(() => {
    let disposed = false;
    const elements = refs.current as Record<ViewportId, HTMLDivElement>;
    const initial3d = appStore.getState().show3d;
    void createMprViewer(elements, (viewportId, state) => appStore.getState().setReadout(viewportId, state), { with3d: initial3d }).then(
      (viewer) => {
        if (disposed) {
          viewer.destroy();
          return;
        }
        viewerRef.current = viewer;
        attachViewer(viewer);
        void viewer.set3dEnabled(appStore.getState().show3d);
      },
    );
    return () => {
      disposed = true;
      attachViewer(undefined);
      viewerRef.current?.destroy();
      viewerRef.current = undefined;
    };
  }, []);

  useEffect(() => {
    void viewerRef.current?.set3dEnabled(show3d);
  }, [show3d]);

  const ids: ViewportId[] = ['axial', 'coronal', 'sagittal', 'volume3d'];
  return (
    <div className="grid" data-testid="viewer-grid">
      {ids.map((id) => (
        <div
          key={id}
          className="pane"
          data-testid={`pane-${id}`}
          onPointerDown={() => id !== 'volume3d' && setActiveViewport(id)}
          onPointerEnter={() => id !== 'volume3d' && setActiveViewport(id)}
        >
          <div
            className="viewport"
            data-testid={`viewport-${id}`}
            ref={(el) => {
              refs.current[id] = el;
            }}
            onContextMenu={(e) => e.preventDefault()}
          />
          <div className="pane-title">{titles[id]}</div>
          {id !== 'volume3d' ? <MprOverlay viewport={id} /> : null}
          {id === 'volume3d' && !show3d ? <div className="pane-off muted">3D view off — toggle with the 3D button</div> : null}
        </div>
      ))}
    </div>
  );
}

function MprOverlay({ viewport }: { viewport: MprViewportKey }) {
  const readout = useAppState((s) => s.readouts[viewport]);
  const ready = useAppState((s) => s.loadStatus === 'ready');
  if (!readout || !ready) return null;
  const m = orientationMarkers(readout.viewUpLPS, readout.viewPlaneNormalLPS);
  const ww = readout.voiUpper - readout.voiLower;
  const wc = (readout.voiUpper + readout.voiLower) / 2;
  return (
    <div className="overlay" data-testid={`overlay-${viewport}`}>
      <span className="marker top" data-testid={`marker-${viewport}-top`}>{m.top}</span>
      <span className="marker bottom" data-testid={`marker-${viewport}-bottom`}>{m.bottom}</span>
      <span className="marker left" data-testid={`marker-${viewport}-left`}>{m.left}</span>
      <span className="marker right" data-testid={`marker-${viewport}-right`}>{m.right}</span>
      <div className="readout bottom-left">
        <div>
          Im {readout.sliceIndex + 1}/{readout.sliceCount}
        </div>
        <div>
          {axisNames[viewport]} = {readout.slicePositionMm.toFixed(1)} mm
        </div>
        <div>Thk {readout.sliceThicknessMm.toFixed(2)} mm</div>
      </div>
      <div className="readout bottom-right">
        W {Math.round(ww)} L {Math.round(wc)}
      </div>
    </div>
  );
}
