def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/n_1 ready in \d+ ms/)
check.matches(/Cluster start failed: afterStart command 1 did not succeed within 3 s: \d+ attempts, the last exited with code 1/)
check.matches(/Command: \/bin\/sh -c sleep 1000 .* echo "cluster of @\{cluster.hosts\}: cluster_state:fail"; exit 1/.replace('@\\{cluster.hosts\\}', '127\\.0\\.0\\.1:\\d+,127\\.0\\.0\\.1:\\d+'))
check.matches(/Last lines of .*target\/cluster\/logs\/after-start-1.log:/)
check.matches(/\| cluster of 127\.0\.0\.1:\d+,127\.0\.0\.1:\d+: cluster_state:fail/)
check.has('Every node was stopped; the directories are kept in')
check.noNodeAlive()
return true
