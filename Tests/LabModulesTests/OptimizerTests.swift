import Foundation
import Testing
import LabCore
@testable import LabModules

/// Each optimizer's first steps against the update rule computed by hand in
/// Double, on a short parameter (the vector tail) and one long enough to be
/// split across threads.
@Suite struct OptimizerTests {
    static let sizes = [13, ParallelLoop.minimumParallelCount + 5]

    func parameter(size: Int) -> Parameter {
        Parameter(name: "kernel", value: Tensor(shape: [size]) { values in
            for index in values.indices { values[index] = Float(index % 7) * 0.25 - 0.5 }
        })
    }

    /// Gradients of two steps: varied in sign and size across elements.
    func gradient(step: Int, index: Int) -> Double {
        Double((index * 37 + step * 11) % 17 - 8) * 0.125
    }

    func run(_ optimizer: any Optimizer, size: Int, reference: (_ w: inout Double, _ state: inout [Double], _ g: Double, _ t: Int) -> Void) {
        let p = parameter(size: size)
        var expectedWeights = p.value.scalars.map(Double.init)
        var states = [[Double]](repeating: [0, 0], count: size)
        for step in 1...2 {
            p.gradient = Tensor(shape: [size], scalars: (0..<size).map { Float(gradient(step: step, index: $0)) })
            optimizer.step([p])
            for index in 0..<size {
                reference(&expectedWeights[index], &states[index], Double(p.gradient[index]), step)
            }
        }
        #expect(optimizer.state.iterations == 2)
        let worst = zip(p.value.scalars, expectedWeights).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-6, "largest difference \(worst)")
    }

    @Test(arguments: sizes)
    func sgdPlainAndWithMomentum(size: Int) {
        run(StochasticGradientDescent(learningRate: 0.1), size: size) { w, _, g, _ in w -= 0.1 * g }
        run(StochasticGradientDescent(learningRate: 0.1, momentum: 0.9), size: size) { w, s, g, _ in
            s[0] = 0.9 * s[0] - 0.1 * g
            w += s[0]
        }
        run(StochasticGradientDescent(learningRate: 0.1, momentum: 0.9, nesterov: true), size: size) { w, s, g, _ in
            s[0] = 0.9 * s[0] - 0.1 * g
            w += 0.9 * s[0] - 0.1 * g
        }
    }

    @Test(arguments: sizes)
    func rmspropKerasPutsEpsilonInsideTheRoot(size: Int) {
        run(RMSprop(variant: .keras, learningRate: 1e-3), size: size) { w, s, g, _ in
            s[0] = 0.9 * s[0] + 0.1 * g * g
            w -= 1e-3 * g / (s[0] + 1e-7).squareRoot()
        }
    }

    @Test(arguments: sizes)
    func rmspropPyTorchPutsEpsilonOutside(size: Int) {
        run(RMSprop(variant: .pytorch, learningRate: 1e-2), size: size) { w, s, g, _ in
            s[0] = 0.99 * s[0] + 0.01 * g * g
            w -= 1e-2 * g / (s[0].squareRoot() + 1e-8)
        }
    }

    @Test(arguments: sizes)
    func adamIsBiasCorrected(size: Int) {
        run(Adam(learningRate: 1e-3, weightDecay: 0.01), size: size) { w, s, g, t in
            s[0] = 0.9 * s[0] + 0.1 * g
            s[1] = 0.999 * s[1] + 0.001 * g * g
            let mHat = s[0] / (1 - pow(0.9, Double(t)))
            let vHat = s[1] / (1 - pow(0.999, Double(t)))
            w = (1 - 1e-3 * 0.01) * w - 1e-3 * mHat / (vHat.squareRoot() + 1e-7)
        }
    }

    @Test func stateHasOneSlotPerParameterAndName() {
        let optimizer = Adam()
        let parameters = [parameter(size: 3), parameter(size: 5)]
        optimizer.step(parameters)
        #expect(optimizer.slotNames == ["m", "v"])
        #expect(optimizer.state.slots.map { $0.map(\.shape) } == [[[3], [3]], [[5], [5]]])
    }
}
