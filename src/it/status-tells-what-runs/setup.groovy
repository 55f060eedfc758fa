evaluate(new File(basedir, '../../../src/it/crashed-cluster-lib.groovy'))
