def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Kept target\/cluster: failsafe-summary.xml was written before this cluster started \([^)]*\): no tests ran/)
check.exists('target/cluster/n_0/logs/console.log')
check.noNodeAlive()
return true
