// Another program holds node n_1's port 47321: a test node, as the holder the error must name.
def pb = new ProcessBuilder(System.getProperty('java.home') + '/bin/java', '-cp', new File(basedir, '../../test-classes').canonicalPath,
    'io.github.clusterrun.cluster.testnode.TestNode', '--port=47321')
pb.redirectErrorStream(true).redirectOutput(new File(basedir, 'holder.log'))
def p = pb.start()
new File(basedir, 'holder.pid').text = p.pid().toString()
def deadline = System.currentTimeMillis() + 30_000
while (System.currentTimeMillis() < deadline) {
  try { new Socket('127.0.0.1', 47321).close(); break } catch (IOException e) { Thread.sleep(20) }
}
return true
