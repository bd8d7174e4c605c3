import java.util.Arrays;

/** The calls the README's first example makes, on made-up parameters. */
public class Main {
    public static void main(String[] args) {
        float[] parameters = new float[MnistNetForward.PARAMETER_COUNT];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = (float) Math.sin(i) * 0.05f;
        }
        float[] image = new float[MnistNetForward.INPUT_SIZE];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i % 28) / 28f;
        }
        MnistNetForward net = new MnistNetForward(parameters);
        float[] probabilities = new float[MnistNetForward.OUTPUT_SIZE];
        net.forward(image, probabilities);         // image: 784 floats, 28x28x1, channels last
        System.out.println(MnistNetForward.summary());
        System.out.println("probabilities: " + Arrays.toString(probabilities));
    }
}
