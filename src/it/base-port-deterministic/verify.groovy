def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/n_0 ready in \d+ ms \(pid \d+, http=47310 admin=47311\)/)
check.matches(/n_1 ready in \d+ ms \(pid \d+, http=47312 admin=47313\)/)
check.has('Cluster of 2 nodes ready')
check.has('127.0.0.1:47310,127.0.0.1:47312')
check.has('Deleted target/cluster: 1 integration test passed')
check.noNodeAlive()
return true
