import LabCore

/// Central-difference checks of a layer's backward pass and jvp.
///
/// The scalar probed is L(x) = Σ output ⊙ R for a fixed random R, so dL/dOutput
/// = R exactly, and every input and parameter derivative is compared with
/// (L(θ + h) - L(θ - h)) / 2h, summed in Double.
public enum FiniteDifferences {
    public static func probe(_ layer: any Layer, _ input: Tensor, _ weights: Tensor) -> Double {
        let output = layer.forward(input).output
        return zip(output.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// ‖analytic - numeric‖ / ‖numeric‖ for the input gradient and each parameter gradient.
    public static func relativeErrors(_ layer: any Layer, input: Tensor, step: Float = 1e-2, seed: UInt64 = 5) -> [String: Double] {
        var rng = RandomGenerator(seed: seed)
        let outputShape = [input.rows] + layer.outputShape
        let weights = Tensor(shape: outputShape) { rng.fillNormal($0) }
        let (_, cache) = layer.forward(input)
        let inputGradient = layer.backward(weights, cache: cache, needsInputGradient: true)!

        var errors: [String: Double] = [:]
        var perturbed = input
        errors["input"] = compare(inputGradient.scalars, numericGradient(of: &perturbed, step: step) { probe(layer, $0, weights) })
        for parameter in layer.parameters {
            let analytic = parameter.gradient.scalars
            var value = parameter.value
            let numeric = numericGradient(of: &value, step: step) { candidate in
                let saved = parameter.value
                parameter.value = candidate
                defer { parameter.value = saved }
                return probe(layer, input, weights)
            }
            errors[parameter.name] = compare(analytic, numeric)
        }
        return errors
    }

    /// ‖jvp(t) - (f(x + h t) - f(x - h t)) / 2h‖ / ‖that difference‖.
    public static func jvpRelativeError(_ layer: any Layer, input: Tensor, step: Float = 1e-2, seed: UInt64 = 6) -> Double {
        var rng = RandomGenerator(seed: seed)
        let tangent = Tensor(shape: input.shape) { rng.fillNormal($0) }
        let (_, cache) = layer.forward(input)
        let analytic = layer.jvp(tangent, cache: cache)
        let plus = layer.forward(Tensor(shape: input.shape, scalars: zip(input.scalars, tangent.scalars).map { $0 + step * $1 })).output
        let minus = layer.forward(Tensor(shape: input.shape, scalars: zip(input.scalars, tangent.scalars).map { $0 - step * $1 })).output
        let numeric = zip(plus.scalars, minus.scalars).map { (Double($0) - Double($1)) / (2 * Double(step)) }
        return compare(analytic.scalars, numeric)
    }

    public static func numericGradient(of tensor: inout Tensor, step: Float, _ f: (Tensor) -> Double) -> [Double] {
        (0..<tensor.count).map { index in
            let original = tensor[index]
            tensor[index] = original + step
            let up = f(tensor)
            tensor[index] = original - step
            let down = f(tensor)
            tensor[index] = original
            return (up - down) / (2 * Double(step))
        }
    }

    public static func compare(_ analytic: [Float], _ numeric: [Double]) -> Double {
        let difference = zip(analytic, numeric).reduce(0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) }
        let scale = numeric.reduce(0) { $0 + $1 * $1 }
        return (difference / max(scale, 1e-30)).squareRoot()
    }

    /// Inputs kept at least `margin` away from 0, so a step of h < margin never crosses ReLU's kink.
    public static func inputAwayFromZero(shape: [Int], margin: Float = 0.05, seed: UInt64 = 7) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return Tensor(shape: shape) { values in
            rng.fillNormal(values)
            for index in values.indices where abs(values[index]) < margin {
                values[index] = values[index] < 0 ? -margin : margin
            }
        }
    }
}
