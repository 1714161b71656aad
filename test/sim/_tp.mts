import { startSimUpstream } from '../../sim/index.js';
import http from 'node:http';
import { request } from 'undici';
const org = 'o1'; const key = 'dtvi_' + 'x'.repeat(98);
const sim = await startSimUpstream({ orgs: [{ id: org, secretKey: key }] });
sim.addDataset(org, { id: 'd1' });
const big = sim.addExport(org, 'd1', { state: 'ready', archiveSize: 2 * 1024 ** 3 });
const H = { authorization: `Bearer ${key}`, 'organization-id': org };
const e: any = await (await fetch(`${sim.url}/workspaces/${org}/datasets/${org}_d1/datasetExports/${big}`, { headers: H })).json();
const url = e.status.downloadUrl.url;
for (let i = 0; i < 2; i++) {
  let t = performance.now(); let n = 0;
  await new Promise<void>((res) => http.get(url, (r) => { r.on('data', (c) => { n += c.length; }); r.on('end', res); }));
  console.log('http.get', (n / ((performance.now() - t) / 1000) / 1e9).toFixed(2), 'GB/s');
  t = performance.now(); n = 0;
  const u = await request(url); for await (const c of u.body) n += c.length;
  console.log('undici', (n / ((performance.now() - t) / 1000) / 1e9).toFixed(2), 'GB/s');
}
await sim.close();
