// The compile error is the one the README shows, word for word (the README wraps it; Maven prints
// it as "[ERROR] <path>:[line,column] <message>"), on the line and attribute the README shows.
def normalise = { String s -> s.replaceAll(/\s+/, ' ').trim() }
def readme = new File(readmeFile).text
def block = (readme =~ /(?s)```\n(MnistNet\.java:\d+: error: .*?)```/)
assert block.find() : 'the README no longer shows the compile error'
def shown = block.group(1)
def line = (shown =~ /^MnistNet\.java:(\d+): error: /)[0][1]
def message = normalise(shown.substring(shown.indexOf('[netforge.'), shown.indexOf('\n    @')))
def source = shown.substring(shown.indexOf('\n    @') + 1).readLines()[0]
def column = shown.substring(shown.indexOf('\n    @') + 1).readLines()[1].indexOf('^') + 1

def log = new File(basedir, 'build.log').text
def reported = log.readLines().find { it.contains('MnistNet.java:[') && it.contains('[netforge.') }
assert reported : 'no NetForge error in the build log'
assert reported.contains("MnistNet.java:[${line},${column}]") :
        "the error is not at line ${line}, column ${column} (the README's caret): ${reported}"
assert normalise(reported).endsWith(message) : "the message differs from the README's:\nREADME: ${message}\nbuild:  ${reported}"
assert new File(basedir, 'src/main/java/MnistNet.java').readLines()[(line as int) - 1] == source :
        "line ${line} of MnistNet.java is not the README's: ${source}"
assert log.contains('BUILD FAILURE')
return true
