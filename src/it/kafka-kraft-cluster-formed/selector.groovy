// Kafka 4's server needs Java 17 or later; on an older JDK the IT is skipped, with a warning in the
// build output.
if (Runtime.version().feature() >= 17) {
  return true
}
println '[WARNING] kafka-kraft-cluster-formed is skipped: Kafka 4 needs Java 17 or later, this is Java ' +
    Runtime.version().feature()
return false
