def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Cluster start failed: node n_\d exited with exit code 3 before it was ready/)
check.matches(/Last lines of .*n_\d\/logs\/console.log:/)
check.has('| n_')
check.has('giving up at start as asked')
check.has('Every node was stopped; the directories are kept in')
check.noNodeAlive()
return true
