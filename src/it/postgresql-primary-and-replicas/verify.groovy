def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
// The primary's start, then the replicas', whose pg_basebackup read ${primary.node.0.port}.
def starts = check.log.findAll(/(?m)^\[INFO\] --- cluster(?:-maven-plugin)?:[^:]+:(start|stop) \(([a-z-]+)\)/) { all, goal, id -> goal + ' ' + id }
if (starts != ['start primary', 'start replicas', 'stop stop-replicas', 'stop stop-primary']) {
  throw new AssertionError('the goals ran in this order: ' + starts)
}
check.matches(/n_0 ready in \d+ ms/)
check.matches(/n_1 ready in \d+ ms/)
check.has('Tests run: 1, Failures: 0, Errors: 0')
check.matches(/n_1 \(pid \d+\): stopped gracefully in \d+ ms/)
check.has('Deleted target/replicas: 1 integration test passed')
check.has('Deleted target/primary: 1 integration test passed')
check.gone('target/replicas')
check.gone('target/primary')
// No process of either cluster lives on (each node carries CLUSTER_DIR=<its cluster directory>).
def marks = ['primary', 'replicas'].collect { 'CLUSTER_DIR=' + new File(basedir, 'target/' + it).canonicalPath + '\u0000' }
def survivors = []
new File('/proc').eachFile { f ->
  if (f.name ==~ /\d+/) {
    try {
      def env = new String(new File(f, 'environ').bytes, 'UTF-8')
      if (marks.any { env.contains(it) }) survivors << f.name
    } catch (IOException ignored) { }
  }
}
if (survivors) throw new AssertionError('node processes still alive: ' + survivors)
return true
