def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
// The forked test writes its verdict after it killed Maven; wait for it (an event, with a deadline).
def result = new File(basedir, 'lifeline-result.txt')
def deadline = System.currentTimeMillis() + 30_000
while (!result.exists() && System.currentTimeMillis() < deadline) { Thread.sleep(50) }
if (!result.exists()) throw new AssertionError("the forked test wrote no verdict")
def verdict = result.text.trim()
println "lifeline: " + verdict
if (!(verdict ==~ /all 2 nodes gone \d+ ms after Maven was killed/)) throw new AssertionError(verdict)
check.has('Running it.KillMavenIT')
check.hasNot('Tests run:')
check.exists('target/cluster/n_0/logs/console.log')
check.exists('target/cluster/cluster.state')
// The daemons detached from the nodes: the lifeline finds them by their mark.
deadline = System.currentTimeMillis() + 10_000
while (System.currentTimeMillis() < deadline) {
  try { check.noNodeAlive(); break } catch (AssertionError e) { Thread.sleep(50) }
}
check.noNodeAlive()
return true
