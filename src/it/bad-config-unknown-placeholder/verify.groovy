def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has("<arguments> uses the unknown placeholder @{cluster.peers} in '--peers=@{cluster.peers}'. Fix: use one of @{node.index}, @{node.name}")
check.has('@{cluster.hosts}, @{node.port.port}')
check.hasNot(' ready in ')
check.gone('target/cluster')
return true
