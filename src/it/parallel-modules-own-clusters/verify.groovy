def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Skipping the cluster: packaging pom.')
// Each module's stop speaks of its own target/cluster: a's tests passed, b's failed.
check.has('Deleted target/cluster: 1 integration test passed')
check.has('Kept target/cluster: 1 failure in failsafe-summary.xml')
check.gone('module-a/target/cluster')
check.exists('module-b/target/cluster/n_0/logs/console.log')
// The two clusters ran at the same time on distinct ports.
def hostsLines = (check.log =~ /Cluster of 3 nodes ready in \d+ ms: (\S+)/).collect { it[1] }
if (hostsLines.size() != 2) throw new AssertionError('expected two clusters, saw ' + hostsLines)
def a = hostsLines[0].split(',') as Set, b = hostsLines[1].split(',') as Set
if (!a.intersect(b).isEmpty()) throw new AssertionError('the modules share ports: ' + a.intersect(b))
['module-a', 'module-b'].each { m ->
  def dir = new File(basedir, m + '/target/cluster').canonicalPath
  new File('/proc').eachFile { f ->
    if (f.name ==~ /\d+/) {
      try {
        def env = new String(new File(f, 'environ').bytes, 'UTF-8')
        def stat = new File(f, 'stat').text
        if (stat.charAt(stat.lastIndexOf(')') + 2) != 'Z' as char && env.contains('CLUSTER_DIR=' + dir + '\u0000'))
          throw new AssertionError(m + ' node still alive: ' + f.name)
      } catch (IOException ignored) { }
    }
  }
}
return true
