def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
// every node formatted its storage, then became ready
for (n in 0..2) {
  check.matches(/n_${n} ready in \d+ ms \(pid \d+, broker=\d+ controller=\d+\)/)
}
check.matches(/Cluster of 3 nodes ready/)
check.has('Tests run: 1, Failures: 0, Errors: 0')
// stopped one by one, in index order, each gracefully (a controlled shutdown, no SIGKILL)
def stops = (0..2).collect { n ->
  def m = check.log =~ /n_${n} \(pid \d+\): stopped gracefully in \d+ ms/
  if (!m.find()) throw new AssertionError("build.log has no graceful stop of n_${n}")
  m.start()
}
if (stops != stops.sort(false)) throw new AssertionError("nodes not stopped in index order: " + stops)
check.hasNot('killed after the stop timeout')
check.matches(/Deleted target\/cluster: 1 integration test passed/)
check.gone('target/cluster')
check.noNodeAlive()
return true
