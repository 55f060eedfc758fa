def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Cluster of 2 nodes ready in \d+ ms: \S+ \(properties in \S+db-cluster\/cluster.properties\)/)
check.matches(/Cluster of 1 node ready in \d+ ms: \S+ \(properties in \S+app-cluster\/cluster.properties\)/)
check.has('Tests run: 1, Failures: 0')
check.has('Deleted target/db-cluster: 1 integration test passed')
check.has('Deleted target/app-cluster: 1 integration test passed')
check.gone('target/db-cluster')
check.gone('target/app-cluster')
return true
