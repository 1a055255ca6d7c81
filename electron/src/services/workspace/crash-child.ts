/**
 * Test helper (crash test, workspace.test.ts): runs the autosave path as the app does — engine session whose commits
 * go to a SegmentationStore — in its own process. Usage: node crash-child.ts <segmentationDir> <compactEvery>.
 * Reads one JSON command per stdin line, prints "ready" once and "ack <n>" after command n is durable.
 */
import readline from 'node:readline';
import { SegmentationSession } from '../../../../wasm/src/segmentation/session.ts';
import { SegmentationStore } from './segmentation-store.ts';
import { CRASH_TEST_GEOMETRY, runCrashCommand } from './crash-commands.ts';
import type { CrashCommand } from './crash-commands.ts';

const [dir, compactEveryArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: crash-child.ts <segmentationDir> <compactEvery>');
const options = { compactEvery: Number(compactEveryArg ?? 20) };
const [nx, ny, nz] = CRASH_TEST_GEOMETRY.sizeIJK;
const store = SegmentationStore.exists(dir)
  ? SegmentationStore.open(dir, options)
  : SegmentationStore.create(dir, { seriesInstanceUid: '1.2.3.4', frameOfReferenceUid: '1.2.3.5', geometry: CRASH_TEST_GEOMETRY }, new Uint8Array(nx * ny * nz), options);
const session = new SegmentationSession({
  labelmap: store.labelmap.slice(),
  geometry: CRASH_TEST_GEOMETRY,
  image: null,
  history: store.historyState(),
  onCommit: (e) => {
    if (e.kind === 'edit') store.recordEdit(e.entry);
    else if (e.kind === 'undo') store.recordUndo();
    else store.recordRedo();
  },
});
process.stdout.write(`ready ${JSON.stringify(store.recovery)}\n`);
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (!line.trim()) return;
  const cmd = JSON.parse(line) as CrashCommand;
  runCrashCommand(session, cmd);
  process.stdout.write(`ack ${cmd.n}\n`);
});
rl.on('close', () => store.close());
