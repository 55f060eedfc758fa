def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
def state = new File(basedir, 'target/cluster/cluster.state').canonicalPath
check.has('[WARNING] The cluster state ' + state + ' cannot be read: it cannot be parsed: Malformed \\uxxxx encoding.')
check.has('Stopping the processes that carry CLUSTER_DIR=' + new File(basedir, 'target/cluster').canonicalPath + ' instead')
check.matches(/Stopped a stale node of an earlier cluster: n_0 \(pid \d+\): stopped gracefully in \d+ ms, 2 processes in its family/)
check.has('Deleted target/cluster.')
check.gone('target/cluster')
check.noNodeAlive()
return true
