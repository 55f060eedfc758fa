// Starts `mvn cluster:run` in the background, in this IT's directory (same clusterDirectory), with the
// Maven that runs the ITs and the ITs' local repository, as a user would in another terminal; waits
// until its cluster is up (cluster.properties with the control endpoint). verify.groovy ends it.
// A timeout ends it too (SIGTERM, its exit hook stops the nodes) should verify.groovy never run.
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').canonicalPath
def settings = new File(basedir, '../interpolated-settings.xml').canonicalPath
def runLog = new File(basedir, 'run.log')
def command = ['timeout', '-s', 'TERM', '300', mvn, '-B', '-s', settings, '-Dmaven.repo.local=' + localRepositoryPath,
               'cluster:run']
def builder = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true)
builder.redirectOutput(runLog).redirectInput(new File('/dev/null'))
def run = builder.start()
new File(basedir, 'run.pid').text = run.pid().toString()
def properties = new File(basedir, 'target/cluster/cluster.properties')
long deadline = System.nanoTime() + 120_000_000_000L
while (!(properties.exists() && properties.text.contains('cluster.control.token') && runLog.text.contains('The cluster runs until Ctrl-C'))) {
  if (!run.isAlive()) throw new AssertionError('cluster:run ended before its cluster was up:\n' + runLog.text)
  if (System.nanoTime() - deadline > 0) throw new AssertionError('cluster:run did not bring its cluster up in 120 s:\n' + runLog.text)
  run.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS)
}
// What the run started, to compare after the attached build.
java.nio.file.Files.copy(new File(basedir, 'target/cluster/cluster.state').toPath(), new File(basedir, 'state-before').toPath())
return true
