def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('<executable> is missing: the plugin needs the program that runs one node. Fix: set <executable>')
check.hasNot(' ready in ')
check.gone('target/cluster')
return true
