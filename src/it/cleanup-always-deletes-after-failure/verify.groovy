def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has("Deleted target/cluster: cleanup is 'always' (1 failure in failsafe-summary.xml)")
check.has('There are test failures')
check.gone('target/cluster')
check.noNodeAlive()
return true
