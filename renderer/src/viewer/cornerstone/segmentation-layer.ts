/**
 * The role labelmap on Cornerstone3D: a local Uint8 volume SHARING the labelmap array (no copy) on the image volume's
 * grid, shown as a labelmap segmentation in the three MPR views. Segment index = role label (1 liver, 2 FLR, 10+t
 * tumour t), so colours and visibility are set per label. After an edit the changed voxels are written into the shared
 * array and `modified(slicesK)` marks the labelmap modified so the views re-render those slices.
 */
import { cache, utilities as csUtils, volumeLoader } from '@cornerstonejs/core';
import type { Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, segmentation } from '@cornerstonejs/tools';
import type { ImageGeometry } from '../../../../wasm/src/geometry/types.ts';
import { indexToLPS, toCornerstoneDirection } from './direction.ts';

export interface SegmentationLayer {
  readonly labelmap: Uint8Array;
  /** Write changed voxels into the shared labelmap and refresh the views. */
  apply(indices: Uint32Array, newLabels: Uint8Array, slicesK: number[]): void;
  modified(slicesK?: number[]): void;
  setLabelColor(label: number, rgb: [number, number, number], visible: boolean): void;
  destroy(): void;
}

let counter = 0;

export function createSegmentationLayer(input: { viewportIds: readonly string[]; geometry: ImageGeometry; frameOfReferenceUID: string; labelmap: Uint8Array; render: () => void }): SegmentationLayer {
  const { geometry: g, labelmap } = input;
  const id = `remnant-seg-${++counter}`;
  const volumeId = `${id}-labelmap`;
  const volume = volumeLoader.createLocalVolume(volumeId, {
    dimensions: g.sizeIJK as Types.Point3,
    spacing: g.spacingMm as Types.Point3,
    origin: g.originLPS as Types.Point3,
    direction: toCornerstoneDirection(g.directionLPS) as unknown as Types.Mat3,
    scalarData: labelmap,
    metadata: {
      BitsAllocated: 8,
      BitsStored: 8,
      SamplesPerPixel: 1,
      HighBit: 7,
      PhotometricInterpretation: 'MONOCHROME2',
      PixelRepresentation: 0,
      Modality: 'SEG',
      ImageOrientationPatient: toCornerstoneDirection(g.directionLPS).slice(0, 6),
      PixelSpacing: [g.spacingMm[1], g.spacingMm[0]],
      FrameOfReferenceUID: input.frameOfReferenceUID,
      Columns: g.sizeIJK[0],
      Rows: g.sizeIJK[1],
      voiLut: [],
      VOILUTFunction: 'LINEAR',
    },
  } as Parameters<typeof volumeLoader.createLocalVolume>[1]);
  volume.imageIds.forEach((imageId, k) => {
    const plane = csUtils.genericMetadataProvider.get('imagePlaneModule', imageId) as Record<string, unknown> | undefined;
    csUtils.genericMetadataProvider.add(imageId, { type: 'imagePlaneModule', metadata: { ...plane, imagePositionPatient: indexToLPS(g, [0, 0, k]) } });
  });
  segmentation.addSegmentations([{ segmentationId: id, representation: { type: ToolEnums.SegmentationRepresentations.Labelmap, data: { volumeId } } }]);
  const map: Record<string, Array<{ segmentationId: string }>> = {};
  for (const viewportId of input.viewportIds) map[viewportId] = [{ segmentationId: id }];
  segmentation.addLabelmapRepresentationToViewportMap(map);

  const modified = (slicesK: number[] = []): void => {
    segmentation.triggerSegmentationEvents.triggerSegmentationDataModified(id, slicesK);
    input.render();
  };
  return {
    labelmap,
    apply(indices, newLabels, slicesK) {
      for (let c = 0; c < indices.length; c++) labelmap[indices[c] as number] = newLabels[c] as number;
      modified(slicesK);
    },
    modified,
    setLabelColor(label, rgb, visible) {
      for (const viewportId of input.viewportIds) {
        segmentation.config.color.setSegmentIndexColor(viewportId, id, label, [rgb[0], rgb[1], rgb[2], 255] as Types.Color);
        segmentation.config.visibility.setSegmentIndexVisibility(viewportId, { segmentationId: id, type: ToolEnums.SegmentationRepresentations.Labelmap }, label, visible);
      }
      input.render();
    },
    destroy() {
      segmentation.removeSegmentation(id);
      cache.removeVolumeLoadObject(volumeId);
      input.render();
    },
  };
}
