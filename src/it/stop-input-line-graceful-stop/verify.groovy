def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/n_0 \(pid \d+\): stopped gracefully in \d+ ms, exit code 0/)
check.matches(/n_1 \(pid \d+\): stopped gracefully in \d+ ms, exit code 0/)
check.has('Kept target/cluster: cluster.skipCleanup is set')
def console = new File(basedir, 'target/cluster/n_0/logs/console.log').text
if (!console.contains("n_0 stopping on stdin line 'shutdown'")) throw new AssertionError('n_0 did not read the stop line: ' + console)
if (console.contains('ignoring SIGTERM')) throw new AssertionError('n_0 got SIGTERM although stopInput was set')
check.noNodeAlive()
return true
