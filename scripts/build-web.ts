import { build } from 'esbuild'
import { copyFile, mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * `npm run build:web`: bundles the example frontend (examples/web) into examples/web/dist, the folder that
 * STATIC_DIR serves in the demo and the browser test. Plain TypeScript through esbuild; no framework.
 */
export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'web')
export const WEB_DIST = join(WEB_DIR, 'dist')

export async function buildWeb (): Promise<string> {
  await rm(WEB_DIST, { recursive: true, force: true })
  await mkdir(WEB_DIST, { recursive: true })
  await build({
    entryPoints: [join(WEB_DIR, 'src', 'main.ts')],
    outfile: join(WEB_DIST, 'app.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning'
  })
  await Promise.all(['index.html', 'styles.css'].map(f => copyFile(join(WEB_DIR, f), join(WEB_DIST, f))))
  return WEB_DIST
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildWeb()
  console.log(`example app built into ${out}`)
}
