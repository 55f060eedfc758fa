def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
def runPid = new File(basedir, 'run.pid').text.trim() as long
def runLog = new File(basedir, 'run.log')
def load = { File f -> def p = new Properties(); f.withInputStream { p.load(it) }; p }
try {
  // The attached build started, stopped and deleted nothing.
  check.has('Attached to the cluster that cluster:run holds in target/cluster (cluster.attach): nothing is started, stopped or deleted.')
  check.has('Attached to the cluster of cluster:run (cluster.attach): nothing to stop or delete')
  check.has('Tests run: 1, Failures: 0, Errors: 0')
  check.hasNot('ready in')
  check.hasNot('stopped gracefully')
  check.hasNot('Deleted target/cluster')
  check.exists('target/cluster/n_0/logs/console.log')
  def before = load(new File(basedir, 'state-before'))
  def now = load(new File(basedir, 'target/cluster/cluster.state'))
  ['id', 'node.0.pid', 'node.1.pid'].each { k ->
    if (before.getProperty(k) != now.getProperty(k)) throw new AssertionError("the attached build changed the cluster: $k ${before.getProperty(k)} -> ${now.getProperty(k)}")
  }
  [0, 1].each { i ->
    def pid = now.getProperty("node.${i}.pid") as long
    if (!ProcessHandle.of(pid).map { it.isAlive() }.orElse(false)) throw new AssertionError("node n_$i (pid $pid) of cluster:run is gone")
    if (now.getProperty("node.${i}.state") != 'RUNNING') throw new AssertionError("node n_$i is " + now.getProperty("node.${i}.state"))
  }
} finally {
  // End the cluster:run as Ctrl-C would (SIGTERM to timeout, which passes it on to Maven).
  ['kill', '-TERM', runPid.toString()].execute().waitFor()
  def handle = ProcessHandle.of(runPid)
  if (handle.isPresent()) handle.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS)
}
def run = runLog.text
if (!run.contains('Stopped the cluster; kept ')) throw new AssertionError('cluster:run did not stop its cluster:\n' + run)
if (!(run =~ /  n_1 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143/).find()) throw new AssertionError('n_1 was not stopped gracefully:\n' + run)
check.exists('target/cluster/cluster.state')
check.noNodeAlive()
return true
