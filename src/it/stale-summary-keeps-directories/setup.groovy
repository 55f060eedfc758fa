// An earlier build's passing summary, written an hour ago.
def file = new File(basedir, 'target/failsafe-reports/failsafe-summary.xml')
file.parentFile.mkdirs()
file.text = '''<?xml version="1.0" encoding="UTF-8"?>
<failsafe-summary xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" result="null" timeout="false">
    <completed>7</completed>
    <errors>0</errors>
    <failures>0</failures>
    <skipped>0</skipped>
    <failureMessage xsi:nil="true" />
</failsafe-summary>
'''
file.setLastModified(System.currentTimeMillis() - 3600_000L)
return true
