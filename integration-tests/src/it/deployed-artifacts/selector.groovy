// Offline (-o), maven-deploy-plugin deploys nothing (the parent POM skips it): nothing to build from.
return offline != "true"
