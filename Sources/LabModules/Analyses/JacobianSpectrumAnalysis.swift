import LabCore

/// `jacobian_spectrum`: the spectral radius of the network's Jacobian at every
/// training point, and on request the largest eigenvalues and the leading
/// eigenvector (the direction of the study's adversarial perturbation).
public struct JacobianSpectrumAnalysis: Analysis {
    public let typeName = "jacobian_spectrum"
    public var spectrum: JacobianSpectrum

    public init(spectrum: JacobianSpectrum) {
        self.spectrum = spectrum
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let count = trainingPoints.rows
        var radii: [Double] = []
        var eigenvalues: [Float] = []
        var vectors: [Float] = []
        var route = JacobianSpectrum.Route.auto
        for result in try spectrum.spectra(of: network, at: trainingPoints) {
            radii.append(result.spectralRadius)
            route = result.route
            eigenvalues += result.topEigenvalues.flatMap { [Float($0.real), Float($0.imaginary)] }
            if let vector = result.leadingVector { vectors += vector.real + vector.imaginary }
        }
        let sorted = radii.sorted()
        var arrays: [(name: String, tensor: Tensor)] = [("spectral_radius", Tensor(shape: [count], scalars: radii.map(Float.init)))]
        if spectrum.topCount > 0 {
            arrays.append(("top_eigenvalues", Tensor(shape: [count, eigenvalues.count / max(count * 2, 1), 2], scalars: eigenvalues)))
        }
        if spectrum.leadingVector {
            let size = network.inputShape.reduce(1, *)
            arrays.append(("leading_eigenvector", Tensor(shape: [count, 2, size], scalars: vectors)))
        }
        let below = radii.filter { $0 < 1 }.count
        return AnalysisResult(
            summary: [
                ConfigValue.Entry("points", .int(count)),
                ConfigValue.Entry("route", .string(route.rawValue)),
                ConfigValue.Entry("radius_below_1", .int(below)),
                ConfigValue.Entry("radius_min", .double(sorted.first ?? .nan)),
                ConfigValue.Entry("radius_median", .double(sorted.isEmpty ? .nan : sorted[sorted.count / 2])),
                ConfigValue.Entry("radius_max", .double(sorted.last ?? .nan)),
            ],
            arrays: arrays,
            table: [["points", "route", "radius < 1", "min", "median", "max"],
                    ["\(count)", route.rawValue, "\(below)"] + [sorted.first, sorted.isEmpty ? nil : sorted[sorted.count / 2], sorted.last]
                        .map { $0.map { String(format: "%.4g", $0) } ?? "-" }],
            charts: SpectrumCharts.radii + (spectrum.topCount > 0 ? [SpectrumCharts.topEigenvalues] : []))
    }

    static let routeParameter = ParameterSpec.choice(
        "route", JacobianSpectrum.Route.allCases.map(\.rawValue), default: JacobianSpectrum.Route.auto.rawValue,
        doc: "low_rank: w x w at the narrowest layer; full: d x d; auto: low_rank when there is a bottleneck")

    /// The study linearised its ReLU nets with ReLU'(0) = 0.5 (training used 0).
    static let kinkParameter = ParameterSpec.number(
        "derivative_at_kink", default: 0.5, range: .unitInterval,
        doc: "ReLU'(0) in the Jacobian (0.5 as the study evaluated it); training keeps relu's own derivative_at_zero (0)")

    /// The settings every analysis that builds J shares: route and kink convention.
    static func readSpectrum(_ config: ConfigReader, topCount: Int = 0, leadingVector: Bool = false) throws -> JacobianSpectrum {
        JacobianSpectrum(route: JacobianSpectrum.Route(rawValue: try config.string("route"))!, topCount: topCount,
                         leadingVector: leadingVector, derivativeAtKink: Float(try config.double("derivative_at_kink")))
    }

}

extension JacobianSpectrumAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "jacobian_spectrum", summary: "spectral radius (and top eigenvalues) of J at each training point",
            parameters: [
                routeParameter,
                kinkParameter,
                .integer("top_k", default: 0, range: .nonNegative, doc: "also keep this many eigenvalues of largest modulus"),
                .boolean("leading_vector", default: false, doc: "also keep the unit eigenvector of the largest"),
            ]
        ) { config, _ in
            JacobianSpectrumAnalysis(spectrum: try readSpectrum(config, topCount: try config.int("top_k"),
                                                                leadingVector: try config.bool("leading_vector")))
        }
    }
}
