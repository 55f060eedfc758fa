def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 0, Errors: 0')
check.has('The control endpoint refused POST /nodes/n_0/kill: no valid token (401)')
check.hasNot('The tests killed')
check.matches(/  n_0 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143/)
check.has('Deleted target/cluster: 1 integration test passed\n')
check.gone('target/cluster')
check.noNodeAlive()
return true
