def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
def pids = new File(basedir, 'external.pids').text.trim().split(' ').collect { it as long }
def alive = pids.findAll { pid -> ProcessHandle.of(pid).map { it.isAlive() }.orElse(false) }
pids.each { pid -> ProcessHandle.of(pid).ifPresent { it.destroyForcibly() } }
check.matches(/Using the external cluster 127\.0\.0\.1:\d+,127\.0\.0\.1:\d+ \(cluster\.external\): nothing is started, stopped or deleted\./)
check.has('Tests run: 1, Failures: 0')
check.has('The cluster is external (cluster.external): nothing to stop or delete.')
check.hasNot(' ready in ')
check.gone('target/cluster')
if (alive.size() != 2) throw new AssertionError("the plugin touched the external nodes: alive " + alive + " of " + pids)
return true
