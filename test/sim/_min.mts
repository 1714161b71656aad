import { Archive } from '../../sim/archive.js';
let firstZip = 0; const counts = new Map<number, number>();
for (let size = 1; size < 20000; size++) {
  const a = new Archive({ org: 'o', exportId: 'e' + size, datasetType: size % 2 ? 'vqa' : 'phrase-grounding', format: 'ViFull', normalized: true, splitRatio: size % 3 ? 0.8 : null, size });
  if (a.isZip && !firstZip) firstZip = size;
}
console.log('first zip size', firstZip);
