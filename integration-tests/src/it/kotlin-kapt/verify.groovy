// The Kotlin model compiled through kapt and ran: a softmax over 10 classes.
def log = new File(basedir, 'build.log').text
assert new File(basedir, 'target/generated-sources/kapt/compile/com/acme/NetForward.java').isFile()
def line = log.readLines().find { it.startsWith('kotlin: ') }
assert line : 'the Kotlin program printed nothing'
def p = line.substring('kotlin: '.length()).split(', ').collect { it as double }
assert p.size() == 10 && Math.abs(p.sum() - 1.0) < 1e-4 : p
return true
