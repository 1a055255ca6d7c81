import { ImportExportPanel } from './ImportExportPanel.tsx';
import { SegmentsPanel } from './SegmentsPanel.tsx';
import { ToolsPanel } from './ToolsPanel.tsx';
import { VolumetryPanel } from './VolumetryPanel.tsx';
import { WorkspacePanel } from './WorkspacePanel.tsx';
import { useAppState } from '../../store/store.ts';
import { KeysPanel } from '../../report/ui/KeysPanel.tsx';
import { SignExportPanel } from '../../report/ui/SignExportPanel.tsx';

export function SegmentationSidebar() {
  const ready = useAppState((s) => s.segStatus === 'ready');
  return (
    <aside className="seg-sidebar" data-testid="segmentation-sidebar">
      <WorkspacePanel />
      {ready ? (
        <>
          <SegmentsPanel />
          <ToolsPanel />
          <VolumetryPanel />
          <ImportExportPanel />
          <SignExportPanel />
        </>
      ) : null}
      <KeysPanel />
    </aside>
  );
}
