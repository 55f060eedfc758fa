def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 0')
check.matches(/n_0 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143, [2-9] processes in its family/)
check.matches(/n_1 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143, [2-9] processes in its family/)
check.has('Deleted target/cluster: 1 integration test passed')
check.gone('target/cluster')
check.noNodeAlive()
return true
