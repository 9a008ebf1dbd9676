import Testing
import LabCore
@testable import LabModules

/// Splitting a network at a layer gives an encoder and a decoder that share
/// its layers: composed they are the network, bit for bit.
@Suite struct NetworkSplitTests {
    func bottleneck() -> Network {
        var rng = RandomGenerator(seed: 3)
        let glorot = VarianceScaling(scale: 1, mode: .fanAverage, distribution: .uniform)
        let widths = [(6, 4), (4, 2), (2, 4), (4, 6)]
        var layers: [any Layer] = []
        var names: [String] = []
        for (number, (input, output)) in widths.enumerated() {
            layers.append(Dense(inputSize: input, units: output, usesBias: true, kernelInitializer: glorot, biasInitializer: glorot))
            layers.append(ActivationLayer(typeName: "tanh", activation: Tanh(), inputShape: [output]))
            names += ["dense_\(number + 1)", "tanh_\(number + 1)"]
        }
        let network = Network(inputShape: [6], layers: layers, layerNames: names)
        network.initializeParameters(using: &rng)
        return network
    }

    @Test func decoderOfEncoderIsTheNetworkBitForBit() throws {
        let network = bottleneck()
        var rng = RandomGenerator(seed: 9)
        let points = Tensor(shape: [5, 6], scalars: (0..<30).map { _ in rng.nextNormal() })
        let (encoder, decoder) = try network.split(after: "dense_2")
        #expect(encoder.layerNames == ["dense_1", "tanh_1", "dense_2"])
        #expect(decoder.layerNames == ["tanh_2", "dense_3", "tanh_3", "dense_4", "tanh_4"])
        #expect(encoder.inputShape == [6] && encoder.outputShape == [2] && decoder.inputShape == [2] && decoder.outputShape == [6])
        let codes = encoder(points)
        #expect(codes.shape == [5, 2])
        #expect(decoder(codes).scalars == network(points).scalars)
        // Shared, not copied: a change to the network's weights is the halves' too.
        (network.layers[0] as! Dense).kernel.value[0] += 1
        #expect(decoder(encoder(points)).scalars == network(points).scalars)
        #expect(encoder(points) != codes)
    }

    @Test func theNarrowestLayerIsTheFirstOfTheSmallestWidth() {
        #expect(bottleneck().narrowestLayerName == "dense_2")
    }

    @Test func anUnknownLayerIsNamedWithTheLayersThereAre() {
        #expect {
            try bottleneck().split(after: "dense_9")
        } throws: { error in
            let text = "\(error)"
            return text.contains("'dense_9'") && text.contains("dense_1, tanh_1, dense_2")
        }
    }
}
