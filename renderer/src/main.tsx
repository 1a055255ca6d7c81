import { createRoot } from 'react-dom/client';
import { selectApi } from './api/select-api.ts';
import { setApi } from './app/controller.ts';
import { App } from './App.tsx';
import { appStore } from './store/store.ts';
import './styles.css';

const api = selectApi();
setApi(api);

// Read-only hook for end-to-end tests and benchmarks: store numbers only (no voxel data).
(window as unknown as { __remnant: unknown }).__remnant = { getState: () => appStore.getState() };

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(<App canPickFolder={api.mode === 'electron'} />);
