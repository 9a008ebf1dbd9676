import LabCore

/// The eigenvalues of J(x), the Jacobian of the whole network at one point,
/// built from the layers' `jvp`.
///
/// Low-rank route: if some layer's output has w < d values, split the network
/// there, f = g ∘ h, so J = A B with A = J_g (d x w) and B = J_h (w x d). AB
/// and the w x w matrix BA have the same nonzero eigenvalues, and BA takes w
/// pushes through g (of e₁ ... e_w, giving A's columns) and w through h (of
/// those columns): then a w x w eigenproblem instead of d x d. An eigenvector
/// v of BA lifts to A v, an eigenvector of J.
///
/// Full route: d pushes of e₁ ... e_d form J itself, for checking and for
/// networks without a bottleneck. The derivative convention at kinks is the
/// activations' own (`relu`'s `derivative_at_zero`).
public struct JacobianSpectrum: Sendable {
    public enum Route: String, CaseIterable, Sendable {
        case auto, lowRank = "low_rank", full
    }

    public struct PointSpectrum: Sendable {
        public var spectralRadius: Double
        /// Eigenvalues by decreasing modulus, as (real, imaginary), at most `topCount`.
        public var topEigenvalues: [(real: Double, imaginary: Double)]
        /// Unit eigenvector of J for the eigenvalue of largest modulus, if asked for.
        public var leadingVector: (real: [Float], imaginary: [Float])?
        public var route: Route
    }

    public var route: Route
    public var topCount: Int
    public var leadingVector: Bool

    public init(route: Route = .auto, topCount: Int = 0, leadingVector: Bool = false) {
        self.route = route
        self.topCount = topCount
        self.leadingVector = leadingVector
    }

    /// The narrowest layer output, if narrower than the input: (layer index, width).
    public static func bottleneck(of network: Network) -> (layer: Int, width: Int)? {
        let inputSize = network.inputShape.reduce(1, *)
        var best: (layer: Int, width: Int)?
        for (index, layer) in network.layers.enumerated().dropLast() {
            let width = layer.outputShape.reduce(1, *)
            if width < (best?.width ?? inputSize) { best = (index, width) }
        }
        return best
    }

    /// The spectrum at `point`, one sample shaped like the network's input.
    public func spectrum(of network: Network, at point: Tensor) throws -> PointSpectrum {
        let sample = point.reshaped([1] + network.inputShape)
        let (_, caches) = network.forward(sample)
        let split = route == .full ? nil : Self.bottleneck(of: network)
        if route == .lowRank && split == nil {
            throw AnalysisError("jacobian: route low_rank needs a layer narrower than the input \(network.inputShape); use route full")
        }
        let matrix: Tensor          // row i = (M e_i): M column-major is its buffer read row-major
        let lift: Tensor?           // rows A e_j, to lift BA's eigenvectors to J's
        if let split {
            let columnsOfA = network.jvp(.identity(split.width, rowShape: network.layers[split.layer].outputShape),
                                         caches: caches, layers: (split.layer + 1)..<network.layers.count)
            matrix = network.jvp(columnsOfA, caches: caches, layers: 0..<(split.layer + 1))
            lift = columnsOfA
        } else {
            let size = network.inputShape.reduce(1, *)
            matrix = network.jvp(.identity(size, rowShape: network.inputShape), caches: caches)
            lift = nil
        }
        let n = matrix.rows
        let system = try Eigensystem(columnMajor: matrix.scalars.map(Double.init), dimension: n, computeVectors: leadingVector)
        let order = system.indicesByModulus
        var result = PointSpectrum(
            spectralRadius: system.spectralRadius,
            // J's other d - w eigenvalues are exactly zero: pad, so both routes report alike.
            topEigenvalues: order.prefix(topCount).map { (system.real[$0], system.imaginary[$0]) }
                + Array(repeating: (0, 0), count: max(0, min(topCount, network.inputShape.reduce(1, *)) - n)),
            leadingVector: nil, route: split == nil ? .full : .lowRank)
        if leadingVector, let first = order.first, let (real, imaginary) = system.vector(first) {
            result.leadingVector = Self.unitVector(real: real, imaginary: imaginary, lift: lift)
        }
        return result
    }

    /// v lifted through the rows of `lift` (A v), normalised to unit length.
    static func unitVector(real: [Double], imaginary: [Double], lift: Tensor?) -> (real: [Float], imaginary: [Float]) {
        var (re, im) = (real, imaginary)
        if let lift {
            let width = lift.columns
            re = [Double](repeating: 0, count: width)
            im = [Double](repeating: 0, count: width)
            for (row, (a, b)) in zip(real, imaginary).enumerated() where a != 0 || b != 0 {
                for column in 0..<width {
                    let value = Double(lift[row * width + column])
                    re[column] += a * value
                    im[column] += b * value
                }
            }
        }
        let norm = (re.reduce(0) { $0 + $1 * $1 } + im.reduce(0) { $0 + $1 * $1 }).squareRoot()
        let scale = norm > 0 ? 1 / norm : 0
        return (re.map { Float($0 * scale) }, im.map { Float($0 * scale) })
    }
}
