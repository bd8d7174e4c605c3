// The three invocations of invoker.properties, in build.log.
def log = new File(basedir, 'build.log').text

def runs = log.split(/(?m)^(?=.*Scanning for projects)/).findAll { it.contains('Building stale-weights') }
assert runs.size() == 3 : "expected 3 builds in build.log, found ${runs.size()}"

// 1: bundled and loaded
assert runs[0].contains('NetForge IT: predicted class')

// 2: the incremental compile kept the old bundle, and loading it says so
assert runs[1].contains('Nothing to compile') : 'the second build was expected to be incremental'
def stale = ~/\S*net\.onnx changed after NetForward was compiled \(SHA-256 [0-9a-f]{12}\.\.\. then, [0-9a-f]{12}\.\.\. now\): the bundled weights are stale; recompile the model \(mvn clean compile, or touch Net\.java\)/
assert runs[1] =~ stale : 'the stale message is missing from the second build'
assert !runs[1].contains('NetForge IT: predicted class')

// 3: after a clean build the retrained weights load
assert runs[2].contains('NetForge IT: predicted class')
return true
