// The README is the test's input: its first ```java block (the model) becomes
// src/main/java/MnistNet.java, and every part of its "Using it" Maven snippet must be in pom.xml,
// so a README edit that breaks a user's build breaks this test.
def readme = new File(readmeFile).text
def blocks = { String lang -> (readme =~ /(?s)```${lang}\n(.*?)```/).collect { it[1] } }
def normalise = { String s -> s.replaceAll(/\s+/, ' ').trim() }

def java = blocks('java')
assert java[0].contains('public class MnistNet') : 'the README\'s first java block is no longer the MnistNet model'
new File(basedir, 'src/main/java/MnistNet.java').text = java[0]

// The usage block's statements (those not elided with "...") are Main's.
def main = normalise(new File(basedir, 'src/main/java/Main.java').text)
java[1].readLines().findAll { it.trim() && !it.contains('...') }.each { line ->
    assert main.contains(normalise(line)) : "Main.java does not make the README's call: ${line.trim()}"
}

// The Maven snippet of "Using it": each part between "..." lines is in pom.xml, verbatim but for
// whitespace (pom.xml is filtered by the invoker, so its versions are this build's).
def usingIt = readme.substring(readme.indexOf('## Using it'), readme.indexOf('### The generated class'))
def xml = (usingIt =~ /(?s)```xml\n(.*?)```/).collect { it[1] }
assert xml : 'no Maven snippet under "Using it"'
def pom = normalise(new File(basedir, 'pom.xml').text)
xml.each { snippet ->
    snippet.split(/(?m)^\s*\.\.\.\s*$/).each { part ->
        assert pom.contains(normalise(part)) : "pom.xml lacks this part of the README snippet:\n${part}"
    }
}
return true
