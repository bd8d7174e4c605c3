// Pins the project to the versions this build deployed: for a SNAPSHOT, the timestamped version
// that maven-metadata.xml names as the latest (0.1.0-20261206.215106-1), which exists only in the
// deployed repository.
def repository = new File(deployRepository)
def deployed = { String artifact ->
    if (!projectVersion.endsWith('-SNAPSHOT')) {
        return projectVersion
    }
    def metadata = new File(repository, "dev/netforge/${artifact}/${projectVersion}/maven-metadata.xml")
    assert metadata.isFile() : "${metadata} is missing: the build did not deploy ${artifact}"
    def text = metadata.text
    def timestamp = (text =~ /<timestamp>([^<]+)<\/timestamp>/)[0][1]
    def buildNumber = (text =~ /<buildNumber>([^<]+)<\/buildNumber>/)[0][1]
    return projectVersion.replace('-SNAPSHOT', "-${timestamp}-${buildNumber}")
}
// A copy an earlier run downloaded into the IT repository would hide where they come from now.
['netforge-runtime', 'netforge-processor'].each { artifact ->
    def version = deployed(artifact)
    new File(localRepositoryPath, "dev/netforge/${artifact}/${projectVersion}").listFiles()
            ?.findAll { it.name.contains(version) }?.each { it.delete() }
}
def pom = new File(basedir, 'pom.xml')
pom.text = pom.text
        .replace('DEPLOY_REPOSITORY_URL', repository.toURI().toString())
        .replace('RUNTIME_VERSION', deployed('netforge-runtime'))
        .replace('PROCESSOR_VERSION', deployed('netforge-processor'))
new File(basedir, 'deployed-versions.txt').text = pom.text.findAll(/<version>0\.[^<]+<\/version>/).join('\n')
return true
