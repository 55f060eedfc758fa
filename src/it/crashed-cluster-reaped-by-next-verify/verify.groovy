def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
evaluate(new File(basedir, '../../../src/it/crashed-cluster-verify-lib.groovy'))
check.matches(/Stopped a stale node of an earlier cluster: n_0 \(pid \d+\): killed after the stop timeout, \d+ ms, [2-9] processes in its family/)
check.has('Cluster of 2 nodes ready')
check.has('Tests run: 1, Failures: 0')
check.has('Deleted target/cluster: 1 integration test passed')
check.noNodeAlive()
return true
