import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.attribute.PosixFilePermissions

def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
def outside = new File(basedir, 'target/outside').toPath()
def mode = { p -> PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) }
try {
  check.has('Tests run: 1, Failures: 0, Errors: 0')
  check.matches(/n_0 \(pid \d+\): stopped gracefully in \d+ ms/)
  check.has('Deleted target/cluster: 1 integration test passed')
  check.hasNot('could not be deleted')
  check.hasNot('Permission denied')
  check.gone('target/cluster')
  check.noNodeAlive()
  // The links were deleted, never followed: their target keeps its permissions and content.
  assert mode(outside) == 'r-xr-x---'
  assert mode(outside.resolve('precious.txt')) == 'r--r--r--'
  assert Files.readString(outside.resolve('precious.txt')) == 'precious\n'
} finally {
  // Let the next run (and mvn clean) delete target/ as an ordinary user.
  if (Files.isDirectory(outside, LinkOption.NOFOLLOW_LINKS)) {
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString('rwxr-xr-x'))
  }
}
return true
