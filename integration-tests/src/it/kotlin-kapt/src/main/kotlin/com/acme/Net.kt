package com.acme

import dev.netforge.*

@Model(input = [28, 28, 1])
class Net {
    @Conv2D(filters = 8, kernel = [3], activation = Activation.RELU) lateinit var conv1: Layer
    @MaxPool(2) lateinit var pool1: Layer
    @Flatten lateinit var flatten: Layer
    @Dense(units = 10, activation = Activation.SOFTMAX) lateinit var output: Layer
}

fun main() {
    val params = FloatArray(NetForward.PARAMETER_COUNT) { (it % 7) * 0.01f }
    val out = FloatArray(NetForward.OUTPUT_SIZE)
    NetForward(params).forward(FloatArray(NetForward.INPUT_SIZE) { 0.5f }, out)
    println("kotlin: " + out.joinToString())
}
