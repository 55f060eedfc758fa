def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 0')
check.matches(/Kept target\/cluster: a node left n_\d\/data\/hs_err_pid\d\.log \(keepWhen\), although 1 integration test passed/)
check.exists('target/cluster/n_0/data/hs_err_pid0.log')
check.noNodeAlive()
return true
