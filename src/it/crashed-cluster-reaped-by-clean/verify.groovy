def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
evaluate(new File(basedir, '../../../src/it/crashed-cluster-verify-lib.groovy'))
check.matches(/Stopped a stale node of an earlier cluster: n_0 \(pid \d+\): killed after the stop timeout, \d+ ms, [2-9] processes in its family/)
check.hasNot('n_1 (pid')
check.has('Deleted target/cluster.')
check.gone('target/cluster')
check.noNodeAlive()
return true
