/**
 * Intensity windows for the threshold brush, in HU (CT). Typical values; the user can edit the range. Rationale in
 * docs/segmentation.md ("Threshold presets").
 */
export interface HuPreset {
  id: string;
  name: string;
  huMin: number;
  huMax: number;
  note: string;
}

export const HU_PRESETS: readonly HuPreset[] = [
  {
    id: 'liver-portal-venous',
    name: 'Liver parenchyma, portal-venous phase',
    huMin: 80,
    huMax: 200,
    note: 'Enhanced parenchyma is typically 100-140 HU at 60-70 s; 80 HU excludes most hypodense lesions, fat and unenhanced bowel wall, 200 HU keeps enhanced intrahepatic vessels (which count as liver) and excludes bone and contrast-filled bowel.',
  },
  {
    id: 'liver-unenhanced',
    name: 'Liver parenchyma, unenhanced',
    huMin: 40,
    huMax: 80,
    note: 'Normal unenhanced liver is 55-65 HU (steatosis lowers it, below 40 HU in marked steatosis: widen the range).',
  },
  {
    id: 'liver-arterial',
    name: 'Liver parenchyma, late arterial phase',
    huMin: 60,
    huMax: 130,
    note: 'Parenchyma enhances little in the arterial phase (about 70-100 HU); arteries (> 200 HU) are excluded.',
  },
  {
    id: 'hypodense-lesion-portal-venous',
    name: 'Hypodense lesion (metastasis), portal-venous phase',
    huMin: 10,
    huMax: 80,
    note: 'Colorectal metastases are typically 40-70 HU in the portal-venous phase; cysts (0-20 HU) are partly included.',
  },
  {
    id: 'vessels-portal-venous',
    name: 'Portal and hepatic veins, portal-venous phase',
    huMin: 150,
    huMax: 300,
    note: 'Opacified portal/hepatic veins are typically 150-250 HU.',
  },
];

export function huPreset(id: string): HuPreset {
  const p = HU_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown HU preset "${id}"; available: ${HU_PRESETS.map((x) => x.id).join(', ')}`);
  return p;
}
