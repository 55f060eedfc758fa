def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
def holder = new File(basedir, 'holder.pid').text.trim()
ProcessHandle.of(holder as long).ifPresent { it.destroyForcibly() }
check.has("<basePort> gives n_1 its port 'port' = 47321, which is in use by pid " + holder + " (")
check.has('TestNode --port=47321)')
check.has('Fix: stop that process, or choose another <basePort>')
check.hasNot(' ready in ')
check.noNodeAlive()
return true
