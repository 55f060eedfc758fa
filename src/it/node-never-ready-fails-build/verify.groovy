def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Cluster start failed: node n_\d was not ready within 2 s \(<waitFor><timeout>\): tcp 127\.0\.0\.1:\d+ did not hold \(Connection refused\)/)
check.has('| up but not listening')
check.has('Every node was stopped')
check.noNodeAlive()
return true
