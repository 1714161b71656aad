import { describe, before, after } from 'node:test'
import { startCluster, type RedisCluster } from '../../scripts/redis-topologies.js'
import { crossReplicaGuarantees } from './replicas.js'

describe('two replicas on a three-master Redis Cluster', { timeout: 100_000 }, () => {
  let cluster: RedisCluster
  before(async () => { cluster = await startCluster() }, { timeout: 40_000 })
  after(() => cluster?.stop())
  crossReplicaGuarantees(() => ({
    REDIS_URL: `redis://127.0.0.1:${cluster.nodes[0]!.port}`,
    REDIS_MODE: 'cluster',
    REDIS_NODES: cluster.nodes.slice(1).map(n => `127.0.0.1:${n.port}`).join(','),
    // Cluster commands may follow a MOVED redirection: room for it on a loaded machine.
    REDIS_COMMAND_TIMEOUT_MS: '1000'
  }))
})
