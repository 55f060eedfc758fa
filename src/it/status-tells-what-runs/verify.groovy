def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
evaluate(new File(basedir, '../../../src/it/crashed-cluster-verify-lib.groovy'))
def unrelated = new File(basedir, 'unrelated.pid').text.trim()
check.matches(/Cluster in target\/cluster: 1 of 2 nodes running, started \S+/)
check.matches(/  n_0: running, pid \d+, up \d+s/)
check.has('  n_1: not running (was pid ' + unrelated + ')')
check.has('Deleted target/cluster.')
check.noNodeAlive()
return true
