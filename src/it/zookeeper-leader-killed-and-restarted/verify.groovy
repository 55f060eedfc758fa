def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.matches(/Cluster of 3 nodes ready/)
check.has('Tests run: 1, Failures: 0, Errors: 0')
// The leader, whichever node it was: killed, then started again (the same node both times).
def killed = (check.log =~ /The tests killed (n_[0-2]) \(pid \d+\): SIGKILL to \d+ process(es)?, all gone in \d+ ms/)
if (!killed.find()) throw new AssertionError('build.log has no line: The tests killed n_<i> (pid …): SIGKILL …')
def leader = killed.group(1)
check.matches(/The tests started ${leader} again: ready in \d+ ms \(pid \d+, client=\d+ quorum=\d+ election=\d+\)/)
check.has("Deleted target/cluster: 1 integration test passed (the tests killed ${leader} once and started it)".toString())
check.gone('target/cluster')
check.noNodeAlive()
return true
