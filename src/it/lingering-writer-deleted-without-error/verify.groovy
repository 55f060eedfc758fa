def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 0')
check.matches(/n_0 \(pid \d+\): stopped gracefully in (1[5-9]\d\d|[2-9]\d\d\d|\d{5,}) ms/)
check.has('Deleted target/cluster: 1 integration test passed')
check.hasNot('Directory not empty')
check.gone('target/cluster')
check.noNodeAlive()
return true
