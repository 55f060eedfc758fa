def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Cluster of 2 nodes ready/)
check.has('<nodes> is 0')
check.matches(/\[WARNING\] Stopped the cluster in \S+ at the end of the build \(its stop goal did not run\); its directories are kept\./)
check.hasNot('as the JVM exits')
check.exists('target/cluster/n_1/logs/console.log')
check.noNodeAlive()
return true
