// What a crashed build leaves behind when its state file is damaged too: a node of this directory
// (with a detached daemon) that still runs, and a cluster.state cut inside a \uXXXX escape.
def dir = new File(basedir, 'target/cluster').canonicalFile
new File(dir, 'n_0/logs').mkdirs()
def id = 'damaged' + Long.toHexString(System.nanoTime())
def node = new ProcessBuilder('sh', '-c',
    'setsid -f sh -c "echo \\$\\$ > daemon.pid; exec sleep 300"; exec sleep 301')
node.directory(new File(dir, 'n_0'))
node.environment().put('CLUSTER_MAVEN_PLUGIN_MARK', id + '/n_0')
node.environment().put('CLUSTER_DIR', dir.path)
node.redirectErrorStream(true).redirectOutput(new File(dir, 'n_0/logs/console.log'))
node.start()
new File(dir, 'cluster.state').text = "format=2\nid=${id}\nnodes=1\nnode.0.name=n_\\u00"
def deadline = System.currentTimeMillis() + 10_000
while (System.currentTimeMillis() < deadline && !new File(dir, 'n_0/daemon.pid').exists()) { Thread.sleep(20) }
return true
