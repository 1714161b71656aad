// Demo content for `npm run demo`: a mix of phrase-grounding and VQA datasets with exports in
// every state (ready, one becoming ready ~20 s after seeding, one failed).
import type { SeedDataset, SeedExport, SimUpstream } from './types.js'

const KiB = 1024
const MiB = 1024 * KiB
const at = (iso: string): number => Date.parse(iso)

const DATASETS: Array<SeedDataset & { exports: SeedExport[] }> = [
  {
    id: 'retail-shelf-grounding',
    name: 'Retail Shelf Grounding',
    type: 'phrase-grounding',
    description: 'Supermarket shelf photos captioned with grounded product, price-tag and gap phrases.',
    assetTotal: 1842,
    assetAnnotated: 1710,
    annotationTotal: 6935,
    tags: { product: 0, 'price-tag': 1, shelf: 2, 'empty-slot': 3 },
    createDate: at('2025-03-04T09:12:45Z'),
    lastAccessed: at('2025-06-18T14:03:10Z'),
    exports: [
      { id: 'exp-retail-full-0612', format: 'ViFull', normalized: true, splitRatio: 0.8, state: 'ready', archiveSize: 3 * MiB },
      { id: 'exp-retail-jsonl-0615', format: 'ViJsonl', normalized: true, splitRatio: null, state: 'ready', archiveSize: 96 * KiB }
    ]
  },
  {
    id: 'warehouse-safety',
    name: 'Warehouse Safety Captions',
    type: 'phrase-grounding',
    description: 'CCTV frames from three distribution centres; PPE and forklift proximity phrases.',
    assetTotal: 960,
    assetAnnotated: 902,
    annotationTotal: 3318,
    tags: { person: 0, forklift: 1, helmet: 2, 'hi-vis-vest': 3, pallet: 4 },
    createDate: at('2025-01-22T16:40:00Z'),
    lastAccessed: at('2025-06-20T08:15:32Z'),
    exports: [
      { id: 'exp-warehouse-full-0601', format: 'ViFull', normalized: false, splitRatio: 0.9, state: 'ready', archiveSize: 12 * MiB }
    ]
  },
  {
    id: 'urban-traffic-vqa',
    name: 'Urban Traffic VQA',
    type: 'vqa',
    description: 'Dash-cam stills with question/answer pairs about signals, lanes and road users.',
    assetTotal: 4210,
    assetAnnotated: 3987,
    annotationTotal: 9640,
    createDate: at('2024-11-09T11:05:27Z'),
    lastAccessed: at('2025-06-19T19:47:02Z'),
    exports: [
      { id: 'exp-traffic-jsonl-0530', format: 'ViJsonl', normalized: true, splitRatio: 0.85, state: 'ready', archiveSize: 160 * KiB },
      { id: 'exp-traffic-full-latest', format: 'ViFull', normalized: true, splitRatio: 0.85, readyAfterMs: 20_000, archiveSize: 6 * MiB }
    ]
  },
  {
    id: 'solar-farm-inspection',
    name: 'Solar Farm Inspection',
    type: 'phrase-grounding',
    description: 'Drone imagery of PV arrays; cracks, soiling and hotspots grounded in inspection notes.',
    assetTotal: 615,
    assetAnnotated: 388,
    annotationTotal: 1204,
    tags: { 'solar-panel': 0, crack: 1, soiling: 2, hotspot: 3 },
    createDate: at('2025-04-28T07:30:00Z'),
    lastAccessed: at('2025-06-17T10:22:41Z'),
    exports: [
      { id: 'exp-solar-full-0616', format: 'ViFull', normalized: true, splitRatio: null, state: 'failed' }
    ]
  },
  {
    id: 'chest-xray-vqa',
    name: 'Chest X-ray Q&A',
    type: 'vqa',
    description: 'De-identified chest radiographs with radiologist-reviewed question/answer pairs.',
    assetTotal: 2380,
    assetAnnotated: 2380,
    annotationTotal: 7140,
    isLocked: true,
    createDate: at('2024-09-15T13:00:00Z'),
    lastAccessed: at('2025-06-12T09:09:09Z'),
    exports: [
      { id: 'exp-xray-full-0610', format: 'ViFull', normalized: true, splitRatio: 0.75, state: 'ready', archiveSize: 24 * MiB }
    ]
  },
  {
    id: 'product-catalog-qa',
    name: 'Product Catalog Q&A',
    type: 'vqa',
    description: 'E-commerce packshots with attribute questions (colour, material, count).',
    assetTotal: 730,
    assetAnnotated: 512,
    annotationTotal: 1536,
    createDate: at('2025-05-30T18:20:11Z'),
    lastAccessed: at('2025-06-20T07:58:44Z'),
    exports: []
  },
  {
    id: 'parking-lot-grounding',
    name: 'Parking Lot Occupancy',
    type: 'phrase-grounding',
    description: 'Overhead parking-lot views with grounded vehicle and free-bay phrases.',
    assetTotal: 1275,
    assetAnnotated: 1275,
    annotationTotal: 15300,
    tags: { car: 0, van: 1, 'free-bay': 2, 'disabled-bay': 3 },
    createDate: at('2025-02-11T10:45:00Z'),
    lastAccessed: at('2025-06-14T16:36:20Z'),
    exports: [
      { id: 'exp-parking-full-0520', format: 'ViFull', normalized: true, splitRatio: 0.8, state: 'ready', archiveSize: 512 * KiB }
    ]
  }
]

export function seedDemo (sim: SimUpstream, orgId: string): void {
  for (const { exports, ...dataset } of DATASETS) {
    sim.addDataset(orgId, dataset)
    for (const e of exports) sim.addExport(orgId, dataset.id, e)
  }
}
