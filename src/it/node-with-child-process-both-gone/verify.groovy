def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/n_0 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143, 2 processes in its family/)
check.has('Deleted target/cluster: 1 integration test passed')
check.noNodeAlive()
return true
