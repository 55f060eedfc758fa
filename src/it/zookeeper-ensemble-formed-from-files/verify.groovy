def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/n_0 ready in \d+ ms \(pid \d+, client=\d+ quorum=\d+ election=\d+\)/)
check.matches(/Cluster of 3 nodes ready/)
check.has('Tests run: 1, Failures: 0, Errors: 0')
check.has('Deleted target/cluster: 1 integration test passed')
check.noNodeAlive()
return true
