def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('<nodes> is 0, but a cluster needs at least one node. Fix: set <nodes> to 1 or more')
check.hasNot(' ready in ')
check.gone('target/cluster')
return true
