// Compiled with the weights bundled, and the bundle loaded: the golden input's class, printed.
def log = new File(basedir, 'build.log').text
def m = log =~ /predicted class (\d) \(p = ([0-9.E-]+)\)/
assert m.find() : 'the model did not run'
assert new File(basedir, 'target/classes/com/acme/MnistNetForward.weights').isFile() : 'no bundled weights'
assert !log.contains('SLF4J') : 'the compile printed SLF4J lines'
return true
