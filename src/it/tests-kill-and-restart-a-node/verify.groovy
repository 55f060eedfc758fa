def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 0, Errors: 0')
check.matches(/The tests killed n_1 \(pid \d+\): SIGKILL to \d+ process(es)?, all gone in \d+ ms/)
check.matches(/The tests started n_1 again: ready in \d+ ms \(pid \d+, http=\d+\)/)
check.matches(/  n_1 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143/)
check.has('Deleted target/cluster: 1 integration test passed (the tests killed n_1 once and started it)')
check.gone('target/cluster')
check.noNodeAlive()
return true
