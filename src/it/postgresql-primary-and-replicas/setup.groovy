// Debian's PostgreSQL programs are not on PATH: the build gets the newest installed version's bin
// directory as -Dpg.bin (the invoker passes test.properties on as system properties).
def bins = new File('/usr/lib/postgresql').listFiles().findAll { new File(it, 'bin/postgres').canExecute() }
def newest = bins.max { it.name.isInteger() ? it.name as int : 0 }
new File(basedir, 'test.properties').text = 'pg.bin=' + new File(newest, 'bin').path + '\n'
println "pg.bin=${new File(newest, 'bin')}"
return true
