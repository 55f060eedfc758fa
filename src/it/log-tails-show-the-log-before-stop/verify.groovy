def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
// Nothing of the 35 lines each node printed when it got SIGTERM is shown...
check.hasNot('shutdown chatter')
// ...each node's tail is what its log held when the stop began: the lines of the tests' time.
for (node in ['n_0', 'n_1']) {
  def tail = check.log.indexOf("Last 5 lines of ${node}/logs/console.log before the stop:")
  if (tail < 0) throw new AssertionError("build.log lacks the tail of ${node}")
  def lines = check.log.substring(tail).readLines()
  def shown = lines[1..5].collect { it.replaceFirst(/^\[INFO\] /, '') }
  def expected = (4..8).collect { "  | during-tests line ${it} of ${node}".toString() }
  if (shown != expected) throw new AssertionError("the tail of ${node} is ${shown}, not ${expected}")
  // Then, apart and briefly, what the shutdown complained about.
  if (!lines[6].endsWith("Lines of ${node} that look like warnings or errors, printed while it stopped:") || !lines[7].endsWith("  | ERROR shutdown problem of ${node}"))
    throw new AssertionError("after the tail of ${node} come ${lines[6..7]}, not its shutdown ERROR line")
}
def kept = check.log.indexOf('Kept target/cluster: ')
if (kept < check.log.indexOf('Lines of n_1 that look like warnings or errors')) throw new AssertionError('the evidence must come before the decision line')
check.exists('target/cluster/n_0/logs/console.log')
def console = new File(basedir, 'target/cluster/n_0/logs/console.log').text
if (!console.contains('shutdown chatter 35 of n_0')) throw new AssertionError('the node did not print its shutdown chatter: the IT proves nothing')
check.noNodeAlive()
return true
