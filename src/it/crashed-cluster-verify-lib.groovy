// Checks, after the reaping build, that the unrelated process that reused a recorded pid is alive,
// then ends it. Loaded by verify.groovy with evaluate().
def pid = new File(basedir, 'unrelated.pid').text.trim()
def stat = new File("/proc/${pid}/stat")
def alive = stat.exists() && !(stat.text.substring(stat.text.lastIndexOf(')') + 2, stat.text.lastIndexOf(')') + 3) in ['Z', 'X'])
if (alive) { ProcessHandle.of(pid as long).ifPresent { it.destroyForcibly() } }
if (!alive) throw new AssertionError("the unrelated process ${pid} that reused a recorded pid was killed")
return true
