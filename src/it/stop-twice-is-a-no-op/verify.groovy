def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Kept target/cluster: cluster.skipCleanup is set')
def again = (check.log =~ /The cluster in target\/cluster is already stopped\./).count
if (again != 2) throw new AssertionError("expected two no-op stops, saw " + again)
check.hasNot('[ERROR]')
check.hasNot('Stopped the cluster in')
check.noNodeAlive()
return true
