def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Cluster start failed: beforeStart command 1 of node n_\d exited with code 4/)
check.matches(/Command: \/bin\/sh -c echo formatting .*n_\d\/data; sleep 1000/)
check.matches(/Last lines of .*n_\d\/logs\/before-start-1.log:/)
check.has('| storage is locked')
check.has('Every node was stopped; the directories are kept in')
check.hasNot(' ready in ')
check.noNodeAlive()
return true
