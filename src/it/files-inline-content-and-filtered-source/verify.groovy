def check = evaluate(new File(basedir, '../../../src/it/verify-lib.groovy'))
check.has('Tests run: 1, Failures: 0')
def props = new Properties()
new File(basedir, 'target/cluster/cluster.properties').withInputStream { props.load(it) }
def conf = new File(basedir, 'target/cluster/n_0/conf')
assert new File(conf, 'node.properties').text == 'node.id=1\nrun.name=ci-42\n'
assert new File(conf, 'node.yaml').text == 'node:\n  name: n_0\n  port: ' + props['cluster.node.0.port'] + '\n'
assert new File(conf, 'log4j2.xml').text ==
    '<Configuration>\n  <Loggers><Root level="info"/></Loggers>\n</Configuration>\n'
assert new File(conf, 'node.env').text ==
    'RUN=ci-42-2.5\nNODE_DIR=' + props['cluster.node.0.dir'] + '\nexport PATH="${HOME}/bin:$PATH"\n'
check.noNodeAlive()
return true
