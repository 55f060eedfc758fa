def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Last 5 lines of n_0/logs/console.log before the stop:')
check.has('Last 5 lines of n_1/logs/console.log before the stop:')
check.has('  | evidence line of n_0')
check.has('  | evidence line of n_1')
def tail = check.log.indexOf('Last 5 lines of n_0'), kept = check.log.indexOf('Kept target/cluster: 1 failure')
if (tail < 0 || kept < tail) throw new AssertionError('the log tails must come before the decision line')
check.noNodeAlive()
return true
