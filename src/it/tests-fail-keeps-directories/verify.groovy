def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 1')
check.has('Kept target/cluster: 1 failure in failsafe-summary.xml; node logs in target/cluster/n_*/logs')
check.has('There are test failures')
check.exists('target/cluster/n_0/logs/console.log')
check.exists('target/cluster/n_2/data')
check.noNodeAlive()
return true
