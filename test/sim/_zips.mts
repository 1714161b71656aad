import { Archive } from '../../sim/archive.js';
import { writeFileSync, createWriteStream } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
for (const size of [184, 185, 300, 1000, 2000, 5000, 10000, 20000, 65536, 1_000_000, 50_000_000]) {
  const a = new Archive({ org: 'o', exportId: 'x' + size, datasetType: size % 2 ? 'vqa' : 'phrase-grounding', format: 'ViFull', normalized: size % 3 !== 0, splitRatio: size % 3 ? 0.8 : null, size });
  writeFileSync('/tmp/simt/z.zip', Buffer.concat([...a.chunks()]));
  let out = '';
  try { out = execFileSync('unzip', ['-t', '/tmp/simt/z.zip']).toString(); } catch (e: any) { out = 'FAIL ' + e.stdout; }
  const py = execFileSync('python3', ['-c', 'import zipfile,sys,json; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; n=[i for i in z.namelist() if i.endswith(".jsonl")]; [json.loads(l) for f in n for l in z.read(f).decode().splitlines()]; print(len(z.namelist()), "entries", len(n), "jsonl")', '/tmp/simt/z.zip']).toString().trim();
  console.log(size, a.isZip, out.trim().split('\n').pop(), '|', py);
}
if (process.argv[2] === 'z64') {
  const size = 4 * 1024 ** 3 + 123_456_789;
  const a = new Archive({ org: 'o', exportId: 'big', datasetType: 'vqa', format: 'ViFull', normalized: true, splitRatio: 0.8, size });
  const ws = createWriteStream('/tmp/simt/z64.zip');
  for (const c of a.chunks()) if (!ws.write(c)) await once(ws, 'drain');
  ws.end(); await once(ws, 'finish');
  try { console.log(execFileSync('unzip', ['-tq', '/tmp/simt/z64.zip']).toString()); } catch (e: any) { console.log('FAIL', e.stdout?.toString(), e.stderr?.toString()); }
  console.log(execFileSync('python3', ['-c', 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print([(i.filename,i.file_size) for i in z.infolist()][-2:]); print(z.testzip())', '/tmp/simt/z64.zip']).toString());
}
