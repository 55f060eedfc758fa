def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Cluster start failed: beforeStart command 1 of node n_\d exited with code 4/)
check.matches(/Command: \/bin\/sh -c echo formatting .*n_\d\/data; sleep 1000/)
check.matches(/Last lines of .*n_\d\/logs\/before-start-1.log:/)
check.matches(/\| storage is locked by n_\d of [0-9a-f]{16}/) // <environment> with placeholders
check.has('No node was launched; the directories are kept in')
check.hasNot('Every node was stopped')
check.hasNot(' ready in ')
check.noNodeAlive()
return true
