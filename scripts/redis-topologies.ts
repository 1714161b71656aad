import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort, redisAnswers } from './redis.js'

/** One redis-server process of a topology, in its own temp dir with its own conf file. */
export interface Node {
  port: number
  dir: string
  child: ChildProcess
  /** SIGKILL, resolved once the process is gone. */
  kill (): Promise<void>
}

function cli (port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 })
  if (r.error) throw new Error(`cannot run redis-cli (${r.error.message}); install redis-tools`)
  return r.stdout
}

async function until (what: string, check: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms
  while (!await check()) {
    if (Date.now() > deadline) throw new Error(`redis topology: timed out waiting for ${what}`)
    await sleep(100)
  }
}

async function startNode (conf: string[], sentinel = false): Promise<Node> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'vibff-redis-'))
  const file = join(dir, 'redis.conf')
  writeFileSync(file, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'save ""', 'appendonly no', ...conf].join('\n') + '\n')
  const child = spawn('redis-server', [file, ...(sentinel ? ['--sentinel'] : [])], { stdio: 'ignore' })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  child.once('error', () => {})
  const node: Node = {
    port,
    dir,
    child,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    }
  }
  try {
    await until(`redis-server on ${port}`, async () => {
      if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited with code ${child.exitCode}`)
      return redisAnswers('127.0.0.1', port, 200)
    }, 10_000)
  } catch (err) {
    await node.kill()
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return node
}

async function stopAll (nodes: Node[]) {
  await Promise.all(nodes.map(n => n.kill()))
  for (const n of nodes) rmSync(n.dir, { recursive: true, force: true })
}

export interface SentinelGroup {
  name: string
  master: Node
  replica: Node
  sentinels: Node[]
  /** The port Sentinel currently names as master. */
  masterPort (): number
  stop (): Promise<void>
}

/**
 * A Sentinel group on loopback: one master, one replica, three sentinels (quorum 2) that fail over within a few
 * seconds of the master going away (down-after 1 s, failover-timeout 3 s).
 */
export async function startSentinelGroup (name = 'mymaster'): Promise<SentinelGroup> {
  const nodes: Node[] = []
  try {
    const master = await startNode([])
    nodes.push(master)
    const replica = await startNode([`replicaof 127.0.0.1 ${master.port}`])
    nodes.push(replica)
    await until('the replica to sync', () => /master_link_status:up/.test(cli(replica.port, 'info', 'replication')), 10_000)
    const sentinels: Node[] = []
    for (let i = 0; i < 3; i++) {
      const s = await startNode([
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 3000`,
        `sentinel parallel-syncs ${name} 1`
      ], true)
      nodes.push(s)
      sentinels.push(s)
    }
    const masterPort = () => Number(cli(sentinels[0]!.port, 'sentinel', 'get-master-addr-by-name', name).trim().split('\n')[1])
    // Every sentinel knows the replica and the other sentinels before a test relies on a failover.
    await until('the sentinels to see each other and the replica', () => sentinels.every(s => {
      const info = cli(s.port, 'sentinel', 'master', name)
      const field = (k: string) => Number(/\n?([^\n]+)\n([^\n]+)/.exec(info.slice(info.indexOf(`${k}\n`)))?.[2])
      return field('num-slaves') >= 1 && field('num-other-sentinels') >= 2
    }), 15_000)
    return { name, master, replica, sentinels, masterPort, stop: () => stopAll(nodes) }
  } catch (err) {
    await stopAll(nodes)
    throw err
  }
}

export interface RedisCluster {
  nodes: Node[]
  stop (): Promise<void>
}

/** A three-master Redis Cluster (no replicas) on loopback, resolved once cluster_state is ok on every node. */
export async function startCluster (): Promise<RedisCluster> {
  const nodes: Node[] = []
  try {
    for (let i = 0; i < 3; i++) {
      nodes.push(await startNode(['cluster-enabled yes', 'cluster-config-file nodes.conf', 'cluster-node-timeout 2000']))
    }
    const r = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map(n => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 })
    if (r.status !== 0) throw new Error(`redis-cli --cluster create failed: ${r.stderr || r.stdout}`)
    await until('cluster_state:ok', () => nodes.every(n => /cluster_state:ok/.test(cli(n.port, 'cluster', 'info'))), 20_000)
    return { nodes, stop: () => stopAll(nodes) }
  } catch (err) {
    await stopAll(nodes)
    throw err
  }
}
