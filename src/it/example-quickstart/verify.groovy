// The quickstart example, built from examples/quickstart itself (see pom.xml).
def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
def repo = new File(basedir, '../../..').canonicalFile
def example = new File(repo, 'examples/quickstart')

// The example must use the plugin this build made, not an older one from a repository.
def pluginVersion = { File pom ->
  def m = pom.text =~ /<artifactId>cluster-maven-plugin<\/artifactId>\s*<version>([^<]+)<\/version>/
  m.find() ? m.group(1) : null
}
def built = pluginVersion(new File(repo, 'pom.xml'))
def used = pluginVersion(new File(example, 'pom.xml'))
if (built == null || built != used) {
  throw new AssertionError("examples/quickstart/pom.xml uses cluster-maven-plugin " + used
      + " but this build makes " + built + ": update the example's <version>")
}

for (i in 0..2) {
  check.matches(/n_${i} ready in \d+ ms \(pid \d+, http=\d+\)/)
}
check.matches(/Cluster of 3 nodes ready in \d+ ms: 127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+/)
check.has('Running example.KvClusterIT')
def results = check.log =~ /Tests run: (\d+), Failures: 0, Errors: 0, Skipped: 0\r?\n/
if (!results.find()) throw new AssertionError('build.log has no passing test summary')
def ran = results.group(1) as int
if (ran < 1) throw new AssertionError('no integration test ran')
for (i in 0..2) {
  check.matches(/n_${i} \(pid \d+\): stopped gracefully in \d+ ms, exit code 143/)
}
check.has('Deleted target/cluster: ' + ran + ' integration tests passed')
check.hasNot('Directory not empty')

if (new File(example, 'target/cluster').exists()) {
  throw new AssertionError('should have been deleted: examples/quickstart/target/cluster')
}
// No node of the example may still run (each carries CLUSTER_DIR=<its cluster directory>).
def mark = 'CLUSTER_DIR=' + new File(example, 'target/cluster').canonicalPath + '\u0000'
def survivors = []
new File('/proc').eachFile { f ->
  if (f.name ==~ /\d+/) {
    try {
      def stat = new File(f, 'stat').text
      def zombie = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) == 'Z'
      if (!zombie && new String(new File(f, 'environ').bytes, 'UTF-8').contains(mark)) survivors << f.name
    } catch (IOException ignored) { }
  }
}
if (survivors) throw new AssertionError('example nodes still alive: ' + survivors)
return true
