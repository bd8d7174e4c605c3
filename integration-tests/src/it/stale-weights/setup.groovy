// The trained files come from the processor's test resources (kept once in the repository):
// src/main/resources/com/example/stale/net.onnx, its licence, and retrained/net-retrained.onnx,
// the same model with one kernel value changed in its last bit (so it has the same size: only
// the SHA-256 tells them apart).
import java.nio.file.Files
import java.nio.file.StandardCopyOption

def source = new File(weightsDirectory)
def resources = new File(basedir, 'src/main/resources/com/example/stale')
resources.mkdirs()
Files.copy(new File(source, 'fashion_mnist.onnx').toPath(), new File(resources, 'net.onnx').toPath(),
        StandardCopyOption.REPLACE_EXISTING)
Files.copy(new File(source, 'LICENSE-fashion-mnist.txt').toPath(),
        new File(resources, 'LICENSE-fashion-mnist.txt').toPath(), StandardCopyOption.REPLACE_EXISTING)

byte[] bytes = new File(source, 'fashion_mnist.onnx').bytes
bytes[bytes.length.intdiv(2)] = (byte) (bytes[bytes.length.intdiv(2)] ^ 0x01)
def retrained = new File(basedir, 'retrained')
retrained.mkdirs()
new File(retrained, 'net-retrained.onnx').bytes = bytes
return true
