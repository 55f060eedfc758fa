def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
// cluster:run ran the lifecycle up to test-compile first (issue 17): the project's tests are compiled.
check.exists('target/test-classes/it/ClusterIT.class')
check.matches(/  n_0: 127\.0\.0\.1:\d+ \(port=\d+\), \S+n_0/)
check.has('The cluster runs until Ctrl-C; its directories are kept afterwards.')
check.matches(/  n_0 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143/)
check.matches(/  n_1 \(pid \d+\): stopped gracefully in \d+ ms, exit code 143/)
check.has('Stopped the cluster; kept ')
check.hasNot('its stop goal did not run')
// Every node asks to interrupt Maven after the same delay; whichever timer fires first wins (the
// nodes start in parallel, so that is not always n_0), and the other node is stopped before its own.
def consoles = (0..1).collect { new File(basedir, "target/cluster/n_${it}/logs/console.log").text }.join('')
def signal = (consoles =~ /sending (SIG\w+) to Maven/)
if (!signal.find()) throw new AssertionError('no node interrupted Maven: ' + consoles)
println "run was ended by " + signal.group(1)
check.exists('target/cluster/n_1/logs/console.log')
check.exists('target/cluster/cluster.state')
def state = new Properties(); new File(basedir, 'target/cluster/cluster.state').withInputStream { state.load(it) }
if (state.getProperty('stopped') != 'true') throw new AssertionError('the kill was not confirmed: stopped=' + state.getProperty('stopped'))
check.noNodeAlive()
return true
