package tiny;

import dev.netforge.Activation;
import dev.netforge.Dense;
import dev.netforge.Layer;
import dev.netforge.Model;

/** The smallest model: enough for the deployed processor to generate TinyForward against the deployed runtime. */
@Model(input = {4})
public class Tiny {
    @Dense(units = 8, activation = Activation.RELU) Layer hidden;
    @Dense(units = 3, activation = Activation.SOFTMAX) Layer output;
}
