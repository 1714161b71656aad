import { existsSync } from 'node:fs'

/** Debian's Chromium as this machine kind runs it headless (no background networking: the network is closed). */
export const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'
]

export function findChromium (): string {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`)
    return fromEnv
  }
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p
  throw new Error('No Chromium for the browser test: install Debian\'s chromium (apt-get install -y chromium, as .ci/run does) or set CHROMIUM_PATH. This test never skips.')
}
