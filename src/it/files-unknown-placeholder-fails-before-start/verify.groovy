def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has("<files><file><content> uses the unknown placeholder @{node.id} in line 2 of the <content> of 'conf/node.cfg': '@{nodes[\\n]:server.@{node.id}=127.0.0.1:@{node.port.peer}}'. Fix: use one of @{node.index}, @{node.name}")
check.has('@{node.number}, @{cluster.size}, @{cluster.hosts.client}, @{cluster.hosts.peer}')
check.hasNot(' ready in ')
check.hasNot('Cluster of ')
check.gone('target/cluster')
check.noNodeAlive()
return true
