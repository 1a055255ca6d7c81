import { createRoot } from 'react-dom/client';
import { selectHost } from './api/select-api.ts';
import { setHost } from './app/controller.ts';
import { App } from './App.tsx';
import { appStore } from './store/store.ts';
import './styles.css';

const host = selectHost();
// The 3D view starts off on software GL (SwiftShader/llvmpipe: one volume render takes many seconds) or with
// `#…&view3d=0`, and on with `view3d=1`; the 3D button toggles it.
const view3d = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('view3d');
appStore.setState({ show3d: view3d === null ? !isSoftwareGl() : view3d === '1' });

function isSoftwareGl(): boolean {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return true;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(renderer);
}
setHost(host);

// Read-only hook for end-to-end tests and benchmarks: store numbers only (no voxel data).
(window as unknown as { __remnant: unknown }).__remnant = { getState: () => appStore.getState() };

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(<App canPickFolder={host.mode === 'electron'} />);
