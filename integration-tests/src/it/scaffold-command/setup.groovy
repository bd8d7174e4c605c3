// The scaffold command as a user runs it, from the project directory:
//   java -jar netforge-import.jar scaffold pretrainedResnet.h5 --package com.acme --class Net --out src/main/java
// It must exit 0, print nothing but what it did (no SLF4J lines, no terminal colour codes), write
// src/main/java/com/acme/Net.java and copy the file to src/main/resources/com/acme/.
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def model = new File(kerasModels, 'mlperftiny_resnet8')
def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = new ProcessBuilder(java, '-jar', importerJar, 'scaffold', new File(model, 'pretrainedResnet.h5').path,
        '--package', 'com.acme', '--class', 'Net', '--out', 'src/main/java').directory(basedir).start()
def stdout = new ByteArrayOutputStream()
def stderr = new ByteArrayOutputStream()
process.waitForProcessOutput(stdout, stderr)
def err = stderr.toString('UTF-8')
new File(basedir, 'scaffold.log').text = "exit ${process.exitValue()}\n--- stdout\n${stdout}\n--- stderr\n${err}"
assert process.exitValue() == 0 : "the scaffold failed:\n${err}"
assert stdout.size() == 0
assert !err.contains('SLF4J') : err
assert err.readLines() == ['wrote src/main/java/com/acme/Net.java'.replace('/', File.separator),
        "copied ${new File(model, 'pretrainedResnet.h5').path} to ${'src/main/resources/com/acme/pretrainedResnet.h5'.replace('/', File.separator)}"] : err

def source = new File(basedir, 'src/main/java/com/acme/Net.java').text
assert !source.contains('\u001b') : 'terminal colour codes in the class'
assert source.startsWith('package com.acme;\n\nimport dev.netforge.*;\n@Model(input = {32, 32, 3}, weights = "pretrainedResnet.h5")\n')
assert source.contains('@From(')
assert new File(basedir, 'src/main/resources/com/acme/pretrainedResnet.h5').isFile()

// The reference inputs and outputs Predict compares with, and the file's licence.
def resources = new File(basedir, 'src/main/resources/com/acme')
(0..4).each { i ->
    ["inputs${i}.f32", "outputs${i}.f32"].each { f ->
        Files.copy(new File(model, f).toPath(), new File(resources, f).toPath(), StandardCopyOption.REPLACE_EXISTING)
    }
}
Files.copy(new File(model, 'LICENSE').toPath(), new File(resources, 'LICENSE-pretrainedResnet.txt').toPath(),
        StandardCopyOption.REPLACE_EXISTING)
return true
