// The trained Fashion-MNIST file of the processor's tests (kept once in the repository), its golden
// input and output, and its licence, where the README says to put them: src/main/resources/<package path>/.
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def source = new File(weightsDirectory)
def resources = new File(basedir, 'src/main/resources/com/acme')
resources.mkdirs()
['fashion_mnist.onnx': 'model.onnx', 'golden-input.f32': 'golden-input.f32',
 'golden-output.f32': 'golden-output.f32', 'LICENSE-fashion-mnist.txt': 'LICENSE-fashion-mnist.txt'].each { from, to ->
    Files.copy(new File(source, from).toPath(), new File(resources, to).toPath(), StandardCopyOption.REPLACE_EXISTING)
}
return true
