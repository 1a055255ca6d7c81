import { useEffect } from 'react';
import { applyPreset, resetViews, scrollActive, setPrimaryTool } from './app/controller.ts';
import { commandForKey } from './app/shortcuts.ts';
import { StudyBrowser } from './browser/StudyBrowser.tsx';
import { redo, undo } from './segmentation/controller.ts';
import { editCommandForKey } from './segmentation/tools-model.ts';
import { SegmentationSidebar } from './segmentation/ui/SegmentationSidebar.tsx';
import { appStore } from './store/store.ts';
import { HelpOverlay } from './viewer/ui/HelpOverlay.tsx';
import { LoadStatus } from './viewer/ui/LoadStatus.tsx';
import { Toolbar } from './viewer/ui/Toolbar.tsx';
import { ViewerGrid } from './viewer/ui/ViewerGrid.tsx';

export function App({ canPickFolder }: { canPickFolder: boolean }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      const edit = editCommandForKey(event.key, { ctrl: event.ctrlKey, meta: event.metaKey, shift: event.shiftKey, alt: event.altKey });
      if (edit) {
        event.preventDefault();
        if (appStore.getState().segStatus === 'ready') void (edit === 'undo' ? undo() : redo());
        return;
      }
      const command = commandForKey(event.key, { ctrl: event.ctrlKey, alt: event.altKey, meta: event.metaKey });
      if (!command) return;
      event.preventDefault();
      if (command.kind === 'preset') applyPreset(command.presetId);
      else if (command.kind === 'tool') setPrimaryTool(command.tool);
      else if (command.kind === 'scroll') scrollActive(command.delta);
      else if (command.kind === 'reset') resetViews();
      else if (command.kind === 'toggle3d') appStore.getState().setShow3d(!appStore.getState().show3d);
      else appStore.getState().setHelpOpen(command.open ?? true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <StudyBrowser canPickFolder={canPickFolder} />
      <main className="main">
        <Toolbar />
        <LoadStatus />
        <ViewerGrid />
      </main>
      <SegmentationSidebar />
      <HelpOverlay />
    </div>
  );
}
