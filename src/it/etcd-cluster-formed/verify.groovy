def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
(0..2).each { check.matches(/n_${it} ready in \d+ ms \(pid \d+, client=\d+ peer=\d+\)/) }
check.matches(/Cluster of 3 nodes ready/)
check.matches(/afterStart command 1 succeeded in \d+ ms: \S*etcdctl --endpoints=127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+ endpoint health/)
check.matches(/afterStart command 2 succeeded in \d+ ms/)
check.has('Tests run: 1, Failures: 0, Errors: 0')
(0..2).each { check.matches(/n_${it} \(pid \d+\): stopped gracefully in \d+ ms/) }
check.has('Deleted target/cluster: 1 integration test passed')
check.gone('target/cluster')
check.noNodeAlive()
return true
