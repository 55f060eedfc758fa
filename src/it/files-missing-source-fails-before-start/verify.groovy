def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has("<files><file><source> is 'src/test/cluster/zoo.cfg', but /")
check.has("/files-missing-source-fails-before-start/src/test/cluster/zoo.cfg does not exist. Fix: give the template of 'conf/zoo.cfg' as a file of the project, relative to \${project.basedir} (")
check.hasNot(' ready in ')
check.hasNot('Cluster of ')
check.gone('target/cluster')
check.noNodeAlive()
return true
