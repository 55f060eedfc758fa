// Helpers for the ITs' verify.groovy scripts, loaded with
//   def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
// A failed check says what was expected; it never dumps the whole build.log.
def buildLog = new File(basedir, 'build.log').text
// The -Pcompat runs pass the Maven and Java versions the IT must have run with (scriptVariables);
// build.log opens with mvn -V's output (the invoker's showVersion).
if (binding.hasVariable('expectedMaven') && !buildLog.contains('Apache Maven ' + expectedMaven + ' ')) {
  throw new AssertionError("build.log does not show Apache Maven " + expectedMaven)
}
if (binding.hasVariable('expectedJava') && !(buildLog =~ ('(?m)^Java version: ' + java.util.regex.Pattern.quote(expectedJava) + '[.,]')).find()) {
  throw new AssertionError("build.log does not show Java version " + expectedJava)
}
return [
  log    : buildLog,
  has    : { String text -> if (!buildLog.contains(text)) throw new AssertionError("build.log lacks: " + text) },
  hasNot : { String text -> if (buildLog.contains(text)) throw new AssertionError("build.log should not contain: " + text) },
  matches: { String regex -> if (!(buildLog =~ regex).find()) throw new AssertionError("build.log has no line matching: " + regex) },
  exists : { String path -> if (!new File(basedir, path).exists()) throw new AssertionError("missing: " + path) },
  gone   : { String path -> if (new File(basedir, path).exists()) throw new AssertionError("should have been deleted: " + path) },
  noNodeAlive: {
    // No live process on the machine may have been started as a node of this IT (CLUSTER_DIR names it).
    def survivors = []
    new File('/proc').eachFile { f ->
      if (f.name ==~ /\d+/) {
        try {
          def env = new File(f, 'environ').bytes
          def text = new String(env, 'UTF-8')
          def stat = new File(f, 'stat').text
          def zombie = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) == 'Z'
          if (!zombie && text.contains('CLUSTER_DIR=' + new File(basedir, 'target/cluster').canonicalPath + '\u0000')) survivors << f.name
        } catch (IOException ignored) { }
      }
    }
    if (survivors) throw new AssertionError("node processes still alive: " + survivors)
  },
]
