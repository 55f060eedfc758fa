def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Cluster of 2 nodes ready/)
check.has('<nodes> is 0')
check.has('as the JVM exits (its stop goal did not run); its directories are kept.')
check.exists('target/cluster/n_1/logs/console.log')
check.noNodeAlive()
return true
