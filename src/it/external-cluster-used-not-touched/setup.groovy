// A cluster a developer already runs: two test nodes on free ports, started here, not by the plugin.
def java = System.getProperty('java.home') + '/bin/java'
def hosts = []
def pids = []
(0..1).each { i ->
  def socket = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')); def port = socket.localPort; socket.close()
  def pb = new ProcessBuilder(java, '-cp', '@project.build.testOutputDirectory@'.replace('@project.build.testOutputDirectory@', new File(basedir, '../../test-classes').canonicalPath),
      'io.github.clusterrun.cluster.testnode.TestNode', "--port=${port}".toString())
  pb.environment().put('CLUSTER_NODE_NAME', "n_${i}".toString())
  pb.redirectErrorStream(true).redirectOutput(new File(basedir, "external-${i}.log"))
  def p = pb.start()
  pids << p.pid()
  hosts << "127.0.0.1:${port}".toString()
  // wait for the port to accept (an event, with a deadline)
  def deadline = System.currentTimeMillis() + 30_000
  while (System.currentTimeMillis() < deadline) {
    try { new Socket('127.0.0.1', port).close(); break } catch (IOException e) { Thread.sleep(20) }
  }
}
new File(basedir, 'external.pids').text = pids.join(' ')
new File(basedir, 'test.properties').text = 'cluster.external=' + hosts.join(',') + '\n'
return true
