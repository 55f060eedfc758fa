def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has("<mainClass> is 'it.Node', which is in none of the ")
check.has('the project is not compiled. Fix: compile it first, e.g. mvn test-compile cluster:start')
check.hasNot('Could not find or load main class')
check.hasNot('Cluster of ')
check.gone('target/cluster')
check.noNodeAlive()
return true
