def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
def skips = (check.log =~ /Skipping the cluster: skipITs is set\./).count
if (skips != 2) throw new AssertionError("expected start and stop to skip once each, saw " + skips)
check.hasNot(' ready in ')
check.gone('target/cluster')
return true
