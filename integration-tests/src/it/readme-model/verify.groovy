// The README's model compiled with the README's snippet and ran three times (invoker.properties):
// each printed the summary and a probability vector; only the run without the module printed the
// plain-Java hint, exactly once, as one line without a timestamp.
def log = new File(basedir, 'build.log').text
def runs = log.split(/(?m)^(?=.*Scanning for projects)/).findAll { it.contains('Building readme-model') }
assert runs.size() == 3 : "expected 3 builds in build.log, found ${runs.size()}"
def hint = 'NetForge uses its plain-Java kernels: start the JVM with --add-modules jdk.incubator.vector for the' +
        ' Vector API kernels, ~8x faster on MnistNet (-Dnetforge.kernels=scalar silences this line)'
runs.eachWithIndex { run, i ->
    assert run.contains('Total params: ') : "run ${i + 1}: the summary was not printed"
    def line = run.readLines().find { it.startsWith('probabilities: ') }
    assert line : "run ${i + 1}: Main printed no probabilities"
    def p = line.substring('probabilities: ['.length(), line.length() - 1).split(', ').collect { it as double }
    assert p.size() == 10
    assert Math.abs(p.sum() - 1.0) < 1e-4 : "softmax output does not sum to 1: ${p}"
    // (Maven's console may start a line with a colour reset of its own: not part of the line)
    def hints = run.readLines().findAll { it.contains('plain-Java kernels') }.collect { it.replaceAll(/\u001b\[[0-9;]*m/, '') }
    if (i == 0) {
        assert hints == [hint] : "run 1: expected the hint once, as one line: ${hints}"
    } else {
        assert hints.isEmpty() : "run ${i + 1} had the flag, yet: ${hints}"
    }
}
// (the launcher's note comes before Maven's first line, so it is not inside run 2's slice)
assert log.contains('NOTE: Picked up JDK_JAVA_OPTIONS: --add-modules jdk.incubator.vector')
return true
