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
/// networks without a bottleneck.
///
/// Operator norm ‖J‖ (largest singular value), on request: on the full
/// route LAPACK's SVD of J; on the low-rank route ‖AB‖² is the largest
/// eigenvalue of the w x w matrix (AᵀA)(BBᵀ), B from d pushes through h, so
/// no d x d decomposition is needed there either. At kinks (ReLU at 0) the derivative is
/// `derivativeAtKink` when set, else the activations' own training convention.
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
        /// The moduli of all d eigenvalues of J, largest first (the low-rank route's d - w zeros included).
        public var moduli: [Double]
        /// ‖J‖, the largest singular value, if asked for.
        public var operatorNorm: Double?
        public var route: Route
    }

    public var route: Route
    public var topCount: Int
    public var leadingVector: Bool
    public var operatorNorm: Bool
    /// ReLU'(0) (any kinked activation's derivative at its kink) in J; nil keeps training's.
    public var derivativeAtKink: Float?

    public init(route: Route = .auto, topCount: Int = 0, leadingVector: Bool = false, operatorNorm: Bool = false,
                derivativeAtKink: Float? = nil) {
        self.route = route
        self.topCount = topCount
        self.leadingVector = leadingVector
        self.operatorNorm = operatorNorm
        self.derivativeAtKink = derivativeAtKink
    }

    /// The narrowest layer output, if narrower than the input: (layer index,
    /// width). Of equally narrow ones the last, so that g is as short as can
    /// be (on an mlp: the output Dense alone, whose Jacobian is constant).
    public static func bottleneck(of network: Network) -> (layer: Int, width: Int)? {
        let inputSize = network.inputShape.reduce(1, *)
        var best: (layer: Int, width: Int)?
        for (index, layer) in network.layers.enumerated().dropLast() {
            let width = layer.outputShape.reduce(1, *)
            if width < inputSize, width <= (best?.width ?? inputSize) { best = (index, width) }
        }
        return best
    }

    /// The spectrum at `point`, one sample shaped like the network's input.
    public func spectrum(of network: Network, at point: Tensor) throws -> PointSpectrum {
        try spectra(of: network, at: point.reshaped([1] + network.inputShape))[0]
    }

    /// The spectrum at every row of `points`. Pushes through layers whose
    /// Jacobian does not depend on the point (Dense) at either end of the
    /// split are done once for all points: on the study's nets, the two
    /// d x w products that dominate the low-rank route.
    public func spectra(of trainedNetwork: Network, at points: Tensor) throws -> [PointSpectrum] {
        let network = derivativeAtKink.map { trainedNetwork.withDerivativeAtKinks($0) } ?? trainedNetwork
        let split = route == .full ? nil : Self.bottleneck(of: network)
        if route == .lowRank && split == nil {
            throw AnalysisError("jacobian: route low_rank needs a layer narrower than the input \(network.inputShape); use route full")
        }
        let layerCount = network.layers.count
        // Tangent pushes happen in two stretches: g (after the split) from the
        // identity, then h (up to the split) from g's result; the full route
        // is h = everything from the identity.
        let gRange = split.map { ($0.layer + 1)..<layerCount } ?? layerCount..<layerCount
        let hRange = 0..<(split.map { $0.layer + 1 } ?? layerCount)
        let start: Tensor = split.map { .identity($0.width, rowShape: network.layers[$0.layer].outputShape) }
            ?? .identity(network.inputShape.reduce(1, *), rowShape: network.inputShape)
        let constantG = gRange.allSatisfy { network.layers[$0].hasConstantJacobian }
        let noCaches = [any LayerCache](repeating: NoCache(), count: layerCount)
        let fixedColumnsOfA = constantG ? network.jvp(start, caches: noCaches, layers: gRange) : nil
        // Leading layers of h with constant Jacobians act on A's columns the same way at every point.
        let leading = hRange.prefix { network.layers[$0].hasConstantJacobian }
        let fixedPrefix = fixedColumnsOfA.map { network.jvp($0, caches: noCaches, layers: leading.startIndex..<leading.endIndex) }
        let inputSize = network.inputShape.reduce(1, *)
        // Bᵀ's rows B e_i start with the same constant layers at every point.
        let identityThroughLeading = operatorNorm && split != nil
            ? network.jvp(.identity(inputSize, rowShape: network.inputShape), caches: noCaches, layers: leading.startIndex..<leading.endIndex)
            : nil

        return try (0..<points.rows).map { index in
            let (_, caches) = network.forward(points.rows(index..<(index + 1)))
            let columnsOfA = fixedColumnsOfA ?? network.jvp(start, caches: caches, layers: gRange)
            let matrix = fixedPrefix.map { network.jvp($0, caches: caches, layers: leading.endIndex..<hRange.endIndex) }
                ?? network.jvp(columnsOfA, caches: caches, layers: hRange)
            var result = try decompose(matrix, lift: split == nil ? nil : columnsOfA, inputSize: inputSize)
            if operatorNorm {
                let rowsOfB = identityThroughLeading.map { network.jvp($0, caches: caches, layers: leading.endIndex..<hRange.endIndex) }
                result.operatorNorm = try Self.operatorNorm(jacobianRows: split == nil ? matrix : nil, columnsOfA: columnsOfA, rowsOfB: rowsOfB)
            }
            return result
        }
    }

    /// ‖J‖: LAPACK's SVD of J from its rows J e_i (full route); on the
    /// low-rank route from A's columns and B's columns B e_i, as
    /// ‖AB‖² = λmax(BᵀAᵀAB) = λmax((AᵀA)(BBᵀ)), a w x w eigenproblem.
    static func operatorNorm(jacobianRows: Tensor?, columnsOfA: Tensor, rowsOfB: Tensor?) throws -> Double {
        if let jacobianRows {
            let n = jacobianRows.rows
            return try SingularValueDecomposition(columnMajor: jacobianRows.scalars.map(Double.init), rows: n, columns: n).largest
        }
        guard let rowsOfB else { preconditionFailure("the low-rank route needs B") }
        let (w, d) = (columnsOfA.rows, rowsOfB.rows)
        let a = columnsOfA.reshaped([w, d])              // row j = A e_j: Aᵀ
        let b = rowsOfB.reshaped([d, w])                 // row i = B e_i: Bᵀ
        let gram = Tensor.matmul(a, a, transposeB: true) // AᵀA
        let outer = Tensor.matmul(b, b, transposeA: true) // BBᵀ
        let product = Tensor.matmul(gram, outer)
        // The eigenvalues of a product of two positive semidefinite matrices are real and >= 0.
        let system = try Eigensystem(columnMajor: product.scalars.map(Double.init), dimension: w, computeVectors: false)
        return system.spectralRadius.squareRoot()
    }

    /// `matrix` row i = M e_i (so its buffer is M column-major); `lift` rows are A e_j.
    private func decompose(_ matrix: Tensor, lift: Tensor?, inputSize: Int) throws -> PointSpectrum {
        let n = matrix.rows
        let system = try Eigensystem(columnMajor: matrix.scalars.map(Double.init), dimension: n, computeVectors: leadingVector)
        let order = system.indicesByModulus
        let moduli = system.moduli
        // J's other d - w eigenvalues are exactly zero: pad, so both routes report alike.
        var result = PointSpectrum(
            spectralRadius: system.spectralRadius,
            topEigenvalues: order.prefix(topCount).map { (system.real[$0], system.imaginary[$0]) }
                + Array(repeating: (0, 0), count: max(0, min(topCount, inputSize) - n)),
            leadingVector: nil, moduli: order.map { moduli[$0] } + Array(repeating: 0, count: max(0, inputSize - n)),
            operatorNorm: nil, route: lift == nil ? .full : .lowRank)
        if leadingVector, let first = order.first, let (real, imaginary) = system.vector(first) {
            result.leadingVector = Self.unitVector(real: real, imaginary: imaginary, lift: lift)
        }
        return result
    }

    /// Stands in for a cache where a layer's Jacobian does not depend on the point.
    private struct NoCache: LayerCache {}

    /// v lifted through the rows of `lift` (A v = Σ v_j A e_j, one product),
    /// normalised to unit length.
    static func unitVector(real: [Double], imaginary: [Double], lift: Tensor?) -> (real: [Float], imaginary: [Float]) {
        var (re, im) = (real.map(Float.init), imaginary.map(Float.init))
        if let lift {
            let lifted = Tensor.matmul(Tensor(shape: [2, re.count], scalars: re + im), lift)
            re = Array(lifted.scalars[0..<lift.columns])
            im = Array(lifted.scalars[lift.columns...])
        }
        let norm = (re.reduce(0.0) { $0 + Double($1 * $1) } + im.reduce(0.0) { $0 + Double($1 * $1) }).squareRoot()
        let scale = Float(norm > 0 ? 1 / norm : 0)
        return (re.map { $0 * scale }, im.map { $0 * scale })
    }
}
