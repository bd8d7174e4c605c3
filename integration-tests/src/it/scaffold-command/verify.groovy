// The class compiled unchanged (by a forked javac: no SLF4J lines) and reproduces the reference outputs.
def log = new File(basedir, 'build.log').text
assert !log.contains('SLF4J') : 'SLF4J lines at compile or run time'
def m = log =~ /scaffolded model: largest abs error ([0-9.E-]+)/
assert m.find() : 'the scaffolded model did not run'
assert (m.group(1) as double) <= 1e-5 : "largest abs error ${m.group(1)}"
return true
