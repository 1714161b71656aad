import http from 'node:http';
import { pump } from '../../sim/http.js';
import { Archive } from '../../sim/archive.js';
const a = new Archive({ org: 'o', exportId: 'e', datasetType: 'vqa', format: 'ViFull', normalized: true, splitRatio: null, size: 1024 ** 3 });
const B = Buffer.alloc(1 << 20, 1);
const mode = process.argv[2];
const s = http.createServer(async (q, r) => {
  r.writeHead(200, { 'content-length': String(a.size) });
  if (mode === 'pump') await pump(r, a.chunks());
  else if (mode === 'pumpB') await pump(r, (function* () { for (let i = 0; i < 1024; i++) yield B; })());
  else { for (const c of a.chunks()) { if (!r.write(c)) await new Promise((res) => r.once('drain', res)); } r.end(); }
}).listen(0, '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${(s.address() as any).port}/`;
  for (let k = 0; k < 2; k++) {
    const t = performance.now(); let n = 0;
    await new Promise((res) => http.get(url, (r) => { r.on('data', (c) => { n += c.length; }); r.on('end', res); }));
    console.log(mode, (n / ((performance.now() - t) / 1000) / 1e9).toFixed(2), 'GB/s');
  }
  s.close();
});
