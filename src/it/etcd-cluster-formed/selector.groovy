// Runs only where Debian's etcd-server and etcd-client are installed (.ci/run installs them when it
// runs as root, as CI does); elsewhere the IT is skipped, with a warning in the build output.
def onPath = { String name ->
  System.getenv('PATH').split(File.pathSeparator).any { new File(it, name).canExecute() }
}
if (onPath('etcd') && onPath('etcdctl')) {
  return true
}
println '[WARNING] etcd-cluster-formed is skipped: etcd or etcdctl is not on PATH' +
    ' (apt-get install etcd-server etcd-client)'
return false
