import dev.netforge.*;
@Model(input = {28, 28, 1})
public class MnistNet {
    @Conv2D(filters = 32, kernel = 3, activation = Activation.RELU) Layer conv1;
    @MaxPool(2) Layer pool1;
    @Conv2D(filters = 64, kernel = 3, activation = Activation.RELU) Layer conv2;
    @MaxPool(2) Layer pool2;
    @MaxPool(2) Layer pool3;
    @Conv2D(filters = 64, kernel = 3) Layer conv3;
    @Flatten Layer flatten;
    @Dense(units = 10, activation = Activation.SOFTMAX) Layer output;
}
