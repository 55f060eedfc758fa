def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 0')
check.has('Kept target/cluster: cluster.skipCleanup is set')
check.exists('target/cluster/n_0/logs/console.log')
check.exists('target/cluster/cluster.properties')
check.noNodeAlive()
return true
