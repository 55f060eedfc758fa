def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/n_0 ready in \d+ ms \(pid \d+, http=9310 admin=9311\)/)
check.matches(/n_1 ready in \d+ ms \(pid \d+, http=9312 admin=9313\)/)
check.has('Cluster of 2 nodes ready')
check.has('127.0.0.1:9310,127.0.0.1:9312')
check.has('Deleted target/cluster: 1 integration test passed')
check.noNodeAlive()
return true
