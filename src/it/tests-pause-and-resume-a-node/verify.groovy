def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 0, Errors: 0')
check.matches(/The tests paused n_0 \(pid \d+, \d+ process(es)? stopped\)/)
check.matches(/The tests resumed n_0 \(pid \d+, \d+ process(es)?\)/)
check.matches(/  n_0 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143/)
check.has('Deleted target/cluster: 1 integration test passed (the tests paused n_0 once and resumed it)')
check.gone('target/cluster')
check.noNodeAlive()
return true
