// Lays out what a crashed build leaves behind (Maven and its lifeline both killed): a recorded
// cluster whose node n_0 still runs (ignoring SIGTERM, with a detached daemon, writing into its
// directory), and whose recorded n_1 pid now belongs to an unrelated process without the mark.
// Loaded by setup.groovy with evaluate(); writes unrelated.pid for verify.groovy.
def dir = new File(basedir, 'target/cluster').canonicalFile
['n_0/data', 'n_0/logs', 'n_1/logs'].each { new File(dir, it).mkdirs() }
def id = 'crashed' + Long.toHexString(System.nanoTime())
def node = new ProcessBuilder('sh', '-c',
    'setsid -f sh -c "while :; do sleep 0.05; done"; trap "" TERM; while :; do date > data/heartbeat; sleep 0.05; done')
node.directory(new File(dir, 'n_0'))
node.environment().put('CLUSTER_MAVEN_PLUGIN_MARK', id + '/n_0')
node.environment().put('CLUSTER_DIR', dir.path)
node.redirectErrorStream(true).redirectOutput(new File(dir, 'n_0/logs/console.log'))
def n0 = node.start()
def unrelated = new ProcessBuilder('sleep', '300').start()
new File(basedir, 'unrelated.pid').text = unrelated.pid().toString()
def state = new Properties()
def recorded = { i, p -> [
  ("node.${i}.name".toString()): "n_${i}".toString(), ("node.${i}.index".toString()): i.toString(),
  ("node.${i}.mark".toString()): "${id}/n_${i}".toString(), ("node.${i}.state".toString()): 'RUNNING',
  ("node.${i}.pid".toString()): p.pid().toString(),
  ("node.${i}.startInstant".toString()): p.toHandle().info().startInstant().get().toString(),
  ("node.${i}.ports".toString()): '0', ("node.${i}.commands".toString()): '0', ("node.${i}.envs".toString()): '0',
] }
state.putAll([
  format: '2', id: id, started: (System.currentTimeMillis() - 60_000).toString(), stopTimeout: '1000', nodes: '2',
])
state.putAll(recorded(0, n0))
state.putAll(recorded(1, unrelated))
new File(dir, 'cluster.state').withOutputStream { state.store(it, 'a crashed build') }
// Wait until the daemon has detached, so the reaper must find it by its mark.
def deadline = System.currentTimeMillis() + 10_000
while (System.currentTimeMillis() < deadline && !new File(dir, 'n_0/data/heartbeat').exists()) { Thread.sleep(20) }
return true
