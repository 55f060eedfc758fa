def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/<clusterDirectory> is \S+, the project's base directory\. Fix: use a directory of its own under the build directory/)
check.exists('pom.xml')
check.exists('verify.groovy')
check.hasNot(' ready in ')
return true
