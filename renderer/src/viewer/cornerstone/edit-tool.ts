/**
 * The segmentation editing tool on Cornerstone3D: Cornerstone handles the mouse (bindings, drag, up), the cursor is
 * hidden and replaced by an SVG preview (brush circle in mm, stroke path, scissors rectangle/circle, cut line, picked
 * points); the gesture, in LPS mm with the view's normal and right directions, goes to the handler, which runs the
 * edit through the engine (never writing voxels here).
 */
import { getEnabledElement } from '@cornerstonejs/core';
import type { Types } from '@cornerstonejs/core';
import { BaseTool, Enums as ToolEnums, cursors, drawing, utilities as toolUtils } from '@cornerstonejs/tools';
import type { Vec3 } from '../../../../wasm/src/geometry/types.ts';

export type GestureMode = 'stroke' | 'rectangle' | 'circle' | 'point' | 'line';

export interface ViewFrame {
  viewportId: string;
  normalLPS: Vec3;
  rightLPS: Vec3;
}

export type ToolGesture =
  | (ViewFrame & { kind: 'stroke'; pointsLPS: Vec3[] })
  | (ViewFrame & { kind: 'rectangle'; aLPS: Vec3; bLPS: Vec3 })
  | (ViewFrame & { kind: 'circle'; centreLPS: Vec3; edgeLPS: Vec3 })
  | (ViewFrame & { kind: 'point'; pointLPS: Vec3 })
  | (ViewFrame & { kind: 'line'; aLPS: Vec3; bLPS: Vec3 });

export interface EditToolHandler {
  mode: GestureMode;
  /** Brush radius (mm) drawn as the cursor circle in 'stroke' mode. */
  radiusMm?: number;
  /** CSS colour of the preview. */
  color: string;
  /** Points already picked (e.g. cut-plane points), drawn as markers. */
  markersLPS?: Vec3[];
  onGesture(gesture: ToolGesture): void;
}

type Point2 = [number, number];
const sub = (a: Types.Point3, b: Types.Point3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const unit = (v: Vec3): Vec3 => {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
};

export class RemnantEditTool extends BaseTool {
  static override toolName = 'RemnantEdit';
  private handler: EditToolHandler | null = null;
  private drag: { element: HTMLDivElement; viewport: Types.IViewport; canvas: Point2[]; world: Vec3[] } | null = null;
  private hover: { viewportId: string; canvas: Point2 } | null = null;

  constructor(toolProps: Record<string, unknown> = {}) {
    super(toolProps, { supportedInteractionTypes: ['Mouse'], configuration: {} });
  }

  setHandler(handler: EditToolHandler | null): void {
    this.handler = handler;
    this.drag = null;
  }

  private frame(viewport: Types.IViewport): ViewFrame {
    const camera = viewport.getCamera();
    const o = viewport.canvasToWorld([0, 0]);
    const r = viewport.canvasToWorld([1, 0]);
    return { viewportId: viewport.id, normalLPS: [...(camera.viewPlaneNormal as Types.Point3)] as Vec3, rightLPS: unit(sub(r, o)) };
  }

  preMouseDownCallback = (evt: { detail: { element: HTMLDivElement; currentPoints: { canvas: Types.Point2; world: Types.Point3 } }; preventDefault(): void }): boolean => {
    if (!this.handler) return false;
    const { element, currentPoints } = evt.detail;
    const viewport = getEnabledElement(element)?.viewport as Types.IViewport | undefined;
    if (!viewport) return false;
    const canvas: Point2 = [currentPoints.canvas[0], currentPoints.canvas[1]];
    const world = [...viewport.canvasToWorld(canvas)] as Vec3;
    if (this.handler.mode === 'point') {
      this.handler.onGesture({ ...this.frame(viewport), kind: 'point', pointLPS: world });
      evt.preventDefault();
      return true;
    }
    this.drag = { element, viewport, canvas: [canvas], world: [world] };
    element.addEventListener(ToolEnums.Events.MOUSE_DRAG, this.onDrag as EventListener);
    element.addEventListener(ToolEnums.Events.MOUSE_UP, this.onUp as EventListener);
    element.addEventListener(ToolEnums.Events.MOUSE_CLICK, this.onUp as EventListener);
    cursors.elementCursor.hideElementCursor(element);
    evt.preventDefault();
    this.render(viewport.id);
    return true;
  };

  mouseMoveCallback = (evt: { detail: { element: HTMLDivElement; currentPoints: { canvas: Types.Point2 } } }): boolean => {
    if (!this.handler) return false;
    const viewport = getEnabledElement(evt.detail.element)?.viewport as Types.IViewport | undefined;
    if (!viewport) return false;
    this.hover = { viewportId: viewport.id, canvas: [evt.detail.currentPoints.canvas[0], evt.detail.currentPoints.canvas[1]] };
    this.render(viewport.id);
    return false;
  };

  private onDrag = (evt: CustomEvent<{ currentPoints: { canvas: Types.Point2 } }>): void => {
    if (!this.drag) return;
    const canvas: Point2 = [evt.detail.currentPoints.canvas[0], evt.detail.currentPoints.canvas[1]];
    const world = [...this.drag.viewport.canvasToWorld(canvas)] as Vec3;
    if (this.handler?.mode === 'stroke') {
      this.drag.canvas.push(canvas);
      this.drag.world.push(world);
    } else {
      this.drag.canvas[1] = canvas;
      this.drag.world[1] = world;
    }
    this.hover = { viewportId: this.drag.viewport.id, canvas };
    this.render(this.drag.viewport.id);
  };

  private onUp = (): void => {
    const d = this.drag;
    const handler = this.handler;
    if (!d) return;
    this.drag = null;
    d.element.removeEventListener(ToolEnums.Events.MOUSE_DRAG, this.onDrag as EventListener);
    d.element.removeEventListener(ToolEnums.Events.MOUSE_UP, this.onUp as EventListener);
    d.element.removeEventListener(ToolEnums.Events.MOUSE_CLICK, this.onUp as EventListener);
    cursors.elementCursor.resetElementCursor(d.element);
    this.render(d.viewport.id);
    if (!handler) return;
    const frame = this.frame(d.viewport);
    const a = d.world[0] as Vec3;
    const b = (d.world[1] ?? a) as Vec3;
    if (handler.mode === 'stroke') handler.onGesture({ ...frame, kind: 'stroke', pointsLPS: d.world });
    else if (handler.mode === 'rectangle') handler.onGesture({ ...frame, kind: 'rectangle', aLPS: a, bLPS: b });
    else if (handler.mode === 'circle') handler.onGesture({ ...frame, kind: 'circle', centreLPS: a, edgeLPS: b });
    else if (handler.mode === 'line') handler.onGesture({ ...frame, kind: 'line', aLPS: a, bLPS: b });
  };

  private render(viewportId: string): void {
    toolUtils.triggerAnnotationRenderForViewportIds([viewportId]);
  }

  /** Canvas radius (px) of a radius in mm in this view. */
  private radiusPx(viewport: Types.IViewport, canvas: Point2, radiusMm: number): number {
    const w = viewport.canvasToWorld(canvas);
    const w1 = viewport.canvasToWorld([canvas[0] + 1, canvas[1]]);
    const mmPerPx = Math.hypot(w1[0] - w[0], w1[1] - w[1], w1[2] - w[2]) || 1;
    return radiusMm / mmPerPx;
  }

  renderAnnotation = (enabledElement: Types.IEnabledElement, svg: Parameters<typeof drawing.drawCircle>[0]): boolean => {
    const handler = this.handler;
    if (!handler) return false;
    const viewport = enabledElement.viewport as Types.IViewport;
    const uid = 'remnant-edit';
    const color = handler.color;
    for (const [n, m] of (handler.markersLPS ?? []).entries()) {
      const c = viewport.worldToCanvas(m as Types.Point3);
      drawing.drawCircle(svg, uid, `marker-${n}`, c, 4, { color, lineWidth: 2 });
    }
    const d = this.drag && this.drag.viewport.id === viewport.id ? this.drag : null;
    if (d) {
      const a = d.canvas[0] as Types.Point2;
      const b = (d.canvas[1] ?? a) as Types.Point2;
      if (handler.mode === 'stroke' && d.canvas.length > 1) drawing.drawPolyline(svg, uid, 'stroke', d.canvas as Types.Point2[], { color, lineWidth: 2 });
      else if (handler.mode === 'rectangle') drawing.drawRect(svg, uid, 'rect', a, b, { color, lineWidth: 2 });
      else if (handler.mode === 'circle') drawing.drawCircle(svg, uid, 'circle', a, Math.hypot(b[0] - a[0], b[1] - a[1]), { color, lineWidth: 2 });
      else if (handler.mode === 'line') drawing.drawLine(svg, uid, 'line', a, b, { color, lineWidth: 2 });
    }
    if (handler.mode === 'stroke' && handler.radiusMm && this.hover?.viewportId === viewport.id) {
      drawing.drawCircle(svg, uid, 'cursor', this.hover.canvas, this.radiusPx(viewport, this.hover.canvas, handler.radiusMm), { color, lineWidth: 1.5 });
    }
    return true;
  };
}
