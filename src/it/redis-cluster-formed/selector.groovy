// Runs only where Debian's redis-server and redis-tools are installed (.ci/run installs them when
// it runs as root, as CI does); elsewhere the IT is skipped, with a warning in the build output.
def onPath = { String name ->
  System.getenv('PATH').split(File.pathSeparator).any { new File(it, name).canExecute() }
}
if (onPath('redis-server') && onPath('redis-cli')) {
  return true
}
println '[WARNING] redis-cluster-formed is skipped: redis-server or redis-cli is not on PATH' +
    ' (apt-get install redis-server redis-tools)'
return false
