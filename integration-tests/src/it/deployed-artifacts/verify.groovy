// The project compiled with the deployed runtime and processor, downloaded from the deployed
// repository; and that repository holds what Maven Central requires of each published module: its
// POM, jar, sources jar and javadoc jar, as the latest deployment's metadata lists them.
assert new File(basedir, 'target/classes/tiny/TinyForward.class').isFile() : 'the deployed processor generated no TinyForward'
def log = new File(basedir, 'build.log').text
['netforge-runtime', 'netforge-processor'].each { artifact ->
    assert log =~ /Downloaded from netforge-deployed: \S+\/${artifact}-[^\/\s]+\.jar/ :
            "${artifact}'s jar did not come from the deployed repository"
}
def repository = new File(deployRepository, 'dev/netforge')
// "classifier:extension" of each file of the module's latest deployment
def deployedFiles = { String artifact ->
    def dir = new File(repository, "${artifact}/${projectVersion}")
    if (!projectVersion.endsWith('-SNAPSHOT')) {
        return dir.list().findAll { it.startsWith("${artifact}-${projectVersion}") && !it.matches(/.*\.(md5|sha1)$/) }
                .collect { it.substring("${artifact}-${projectVersion}".length()) }
                .collect { it.startsWith('-') ? it.substring(1).replaceFirst(/\./, ':') : ':' + it.substring(1) } as Set
    }
    def metadata = new File(dir, 'maven-metadata.xml')
    assert metadata.isFile() : "${artifact} was not deployed (no ${metadata})"
    (metadata.text =~ /(?s)<snapshotVersion>(.*?)<\/snapshotVersion>/).collect { it[1] }.collect { entry ->
        def classifier = (entry =~ /<classifier>([^<]+)</).find() ? (entry =~ /<classifier>([^<]+)</)[0][1] : ''
        def extension = (entry =~ /<extension>([^<]+)</)[0][1]
        "${classifier}:${extension}".toString()
    } as Set
}
assert deployedFiles('netforge-parent').contains(':pom')
['netforge-runtime', 'netforge-importer', 'netforge-processor', 'netforge-spark'].each { artifact ->
    def files = deployedFiles(artifact)
    assert files.containsAll([':pom', ':jar', 'sources:jar', 'javadoc:jar']) : "${artifact} deployed only ${files}"
}
// the importer's POM is the dependency-reduced one: jHDF and SLF4J are relocated inside its jar
def importerDir = new File(repository, "netforge-importer/${projectVersion}")
def importerPom = importerDir.listFiles().findAll { it.name.endsWith('.pom') }.sort { it.lastModified() }.last()
['jhdf', 'slf4j-api'].each { relocated ->
    assert !importerPom.text.contains("<artifactId>${relocated}</artifactId>") :
            "the deployed importer POM ${importerPom.name} still depends on ${relocated}"
}
return true
