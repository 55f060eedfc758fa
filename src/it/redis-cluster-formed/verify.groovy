def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/n_5 ready in \d+ ms/)
check.matches(/afterStart command 1 succeeded in \d+ ms: sh -c redis-cli --cluster create/)
check.matches(/afterStart command 2 succeeded in \d+ ms/)
check.has('Tests run: 2, Failures: 0, Errors: 0')
check.matches(/n_5 \(pid \d+\): stopped gracefully in \d+ ms/)
check.has('Deleted target/cluster: 2 integration tests passed')
check.noNodeAlive()
return true
