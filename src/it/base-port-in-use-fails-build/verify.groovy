def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
def holder = new File(basedir, 'holder.pid').text.trim()
ProcessHandle.of(holder as long).ifPresent { it.destroyForcibly() }
check.has("<basePort> gives n_1 its port 'port' = 47321, which is in use by pid " + holder + " (")
check.has('TestNode --port=47321)')
check.has('Fix: stop that process, or choose another <basePort>')
check.hasNot(' ready in ')
// 47320-47321 lie inside Linux's default ephemeral port range: start warns before it checks them.
def range = new File('/proc/sys/net/ipv4/ip_local_port_range')
if (range.canRead()) {
  def (first, last) = range.readLines()[0].trim().split(/\s+/).collect { it as int }
  if (47321 >= first && 47320 <= last) {
    check.has("[WARNING] <basePort> 47320 puts ")
    check.has(" inside the ephemeral port range ${first}-${last} (/proc/sys/net/ipv4/ip_local_port_range)".toString())
  }
}
check.noNodeAlive()
return true
