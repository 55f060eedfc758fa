// PostgreSQL refuses to run as root: as root (as CI's first pass runs) the IT is skipped with a
// warning, and .ci/run runs it again as the ordinary user cluster-ci. Elsewhere it runs where
// Debian's postgresql is installed (.ci/run installs it when it runs as root).
def uid = ['id', '-u'].execute().text.trim()
if (uid == '0') {
  println '[WARNING] postgresql-primary-and-replicas is skipped as root: PostgreSQL refuses to run' +
      ' as root (.ci/run runs it as the ordinary user cluster-ci)'
  return false
}
def bins = new File('/usr/lib/postgresql').listFiles()?.findAll { new File(it, 'bin/postgres').canExecute() }
if (bins) {
  return true
}
println '[WARNING] postgresql-primary-and-replicas is skipped: no /usr/lib/postgresql/<version>/bin/postgres' +
    ' (apt-get install postgresql)'
return false
