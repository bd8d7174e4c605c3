// The README's model compiled with the README's snippet, and ran: a summary and a probability vector.
def log = new File(basedir, 'build.log').text
assert log.contains('Total params: ') : 'the summary was not printed'
def line = log.readLines().find { it.startsWith('probabilities: ') }
assert line : 'Main printed no probabilities'
def p = line.substring('probabilities: ['.length(), line.length() - 1).split(', ').collect { it as double }
assert p.size() == 10
assert Math.abs(p.sum() - 1.0) < 1e-4 : "softmax output does not sum to 1: ${p}"
return true
