def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/n_0 \(pid \d+\): killed after the stop timeout, ([1-9]\d\d\d|\d{5,}) ms, exit code 137/)
check.matches(/n_1 \(pid \d+\): killed after the stop timeout/)
check.has('Deleted target/cluster: 1 integration test passed')
check.noNodeAlive()
return true
