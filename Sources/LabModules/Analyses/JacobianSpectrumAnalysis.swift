import LabCore

/// `jacobian_spectrum`: the spectral radius of the network's Jacobian at every
/// training point, and on request the largest eigenvalues, the leading
/// eigenvector (the direction of the study's adversarial perturbation), the
/// operator norm, every eigenvalue's modulus, the number of moduli within a
/// band around 1, and all of these at the initial weights beside the trained
/// ones with the change of the radius (Jiang & Pehlevan's first figure).
public struct JacobianSpectrumAnalysis: ComparingAnalysis {
    public let typeName = "jacobian_spectrum"
    public var spectrum: JacobianSpectrum
    /// Keep the moduli of all d eigenvalues per point.
    public var keepModuli: Bool
    /// Count the eigenvalues with ||λ| - 1| <= band; nil: no count.
    public var band: Double?
    public var comparesInitialWeights: Bool

    public init(spectrum: JacobianSpectrum, keepModuli: Bool = false, band: Double? = nil, comparesInitialWeights: Bool = false) {
        self.spectrum = spectrum
        self.keepModuli = keepModuli
        self.band = band
        self.comparesInitialWeights = comparesInitialWeights
    }

    func measure(_ network: Network, at points: Tensor) throws -> SpectrumMeasurement {
        SpectrumMeasurement(try spectrum.spectra(of: network, at: points), inputSize: network.inputShape.reduce(1, *),
                            band: band, keepModuli: keepModuli)
    }

    public func run(network: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        result(of: try measure(network, at: trainingPoints))
    }

    /// The summary, arrays, table and charts of one network's measurement.
    func result(of trained: SpectrumMeasurement) -> AnalysisResult {
        var arrays = trained.arrays(suffix: "")
        if spectrum.topCount > 0 {
            arrays.append(("top_eigenvalues", Tensor(shape: [trained.count, trained.eigenvalues.count / max(trained.count * 2, 1), 2],
                                                     scalars: trained.eigenvalues)))
        }
        if spectrum.leadingVector {
            arrays.append(("leading_eigenvector", Tensor(shape: [trained.count, 2, trained.inputSize], scalars: trained.vectors)))
        }
        let radius = SpectrumMeasurement.spread(trained.radii)
        var summary = [
            ConfigValue.Entry("points", .int(trained.count)),
            ConfigValue.Entry("route", .string(trained.route.rawValue)),
            ConfigValue.Entry("radius_below_1", .int(trained.radii.filter { $0 < 1 }.count)),
        ] + SpectrumMeasurement.spreadEntries("radius", of: trained.radii)
        var header = ["points", "route", "radius < 1", "min", "median", "max"]
        var row = ["\(trained.count)", trained.route.rawValue, "\(trained.radii.filter { $0 < 1 }.count)"]
            + [radius.min, radius.median, radius.max].map(Self.format)
        var charts = SpectrumCharts.radii + (spectrum.topCount > 0 ? [SpectrumCharts.topEigenvalues] : [])
        if spectrum.operatorNorm {
            summary += SpectrumMeasurement.spreadEntries("operator_norm", of: trained.operatorNorms)
            header.append("max ‖J‖")
            row.append(Self.format(trained.operatorNorms.max() ?? .nan))
            charts.append(SpectrumCharts.operatorNorms)
        }
        if keepModuli { charts.append(SpectrumCharts.moduli) }
        if let band {
            summary += [ConfigValue.Entry("band", .double(band)),
                        ConfigValue.Entry("near_one_mean", .double(trained.meanNearOneCount)),
                        ConfigValue.Entry("near_one_fraction", .double(trained.meanNearOneFraction))]
            header.append("mean near 1")
            row.append(Self.format(trained.meanNearOneCount))
            charts.append(SpectrumCharts.nearOne(band: band))
        }
        return AnalysisResult(summary: summary, arrays: arrays, table: [header, row], charts: charts)
    }

    /// The trained weights' result, with the same measures at the initial
    /// weights (arrays suffixed `_initial`) and the radius's change per point.
    public func run(network: Network, initialNetwork: Network, trainingPoints: Tensor) throws -> AnalysisResult {
        let trained = try measure(network, at: trainingPoints)
        var result = result(of: trained)
        let initial = try measure(initialNetwork, at: trainingPoints)
        let change = zip(trained.radii, initial.radii).map { $0 - $1 }
        result.arrays += initial.arrays(suffix: "_initial") + [("spectral_radius_change", SpectrumMeasurement.vector(change))]
        result.summary += SpectrumMeasurement.spreadEntries("radius_initial", of: initial.radii)
            + SpectrumMeasurement.spreadEntries("radius_change", of: change)
        if spectrum.operatorNorm {
            result.summary += SpectrumMeasurement.spreadEntries("operator_norm_initial", of: initial.operatorNorms)
        }
        if band != nil {
            result.summary += [ConfigValue.Entry("near_one_initial_mean", .double(initial.meanNearOneCount)),
                               ConfigValue.Entry("near_one_initial_fraction", .double(initial.meanNearOneFraction))]
        }
        result.table[0] += ["initial median", "change median"]
        result.table[1] += [SpectrumMeasurement.spread(initial.radii).median, SpectrumMeasurement.spread(change).median]
            .map(Self.format)
        result.charts += SpectrumCharts.initialComparison + (keepModuli ? [SpectrumCharts.initialModuli] : [])
        return result
    }

    static func format(_ value: Double) -> String { value.isNaN ? "-" : String(format: "%.4g", value) }

    static let routeParameter = ParameterSpec.choice(
        "route", JacobianSpectrum.Route.allCases.map(\.rawValue), default: JacobianSpectrum.Route.auto.rawValue,
        doc: "low_rank: w x w at the narrowest layer; full: d x d; auto: low_rank when there is a bottleneck")

    /// The study linearised its ReLU nets with ReLU'(0) = 0.5 (training used 0).
    static let kinkParameter = ParameterSpec.number(
        "derivative_at_kink", default: 0.5, range: .unitInterval,
        doc: "ReLU'(0) in the Jacobian (0.5 as the study evaluated it); training keeps relu's own derivative_at_zero (0)")

    /// The settings every analysis that builds J shares: route and kink convention.
    static func readSpectrum(_ config: ConfigReader, topCount: Int = 0, leadingVector: Bool = false,
                             operatorNorm: Bool = false) throws -> JacobianSpectrum {
        JacobianSpectrum(route: JacobianSpectrum.Route(rawValue: try config.string("route"))!, topCount: topCount,
                         leadingVector: leadingVector, operatorNorm: operatorNorm,
                         derivativeAtKink: Float(try config.double("derivative_at_kink")))
    }
}

extension JacobianSpectrumAnalysis {
    static func register(in registry: inout Registry) {
        registry.analyses.register(
            "jacobian_spectrum", summary: "spectral radius (and top eigenvalues, operator norm, moduli near 1) of J at each training point",
            parameters: [
                routeParameter,
                kinkParameter,
                .integer("top_k", default: 0, range: .nonNegative, doc: "also keep this many eigenvalues of largest modulus"),
                .boolean("leading_vector", default: false, doc: "also keep the unit eigenvector of the largest"),
                .boolean("operator_norm", default: false, doc: "also the operator norm ‖J‖, the largest singular value (LAPACK's SVD)"),
                .boolean("moduli", default: false, doc: "also keep the moduli of all d eigenvalues (array eigenvalue_moduli, a histogram)"),
                .number("band", range: .positive, optional: true,
                        doc: "also count the eigenvalues with ||λ| - 1| <= band (array near_one_count)"),
                .boolean("compare_initial", default: false,
                         doc: "also measure J at the run's initial weights (init.h5): arrays *_initial and spectral_radius_change"),
            ]
        ) { config, _ in
            JacobianSpectrumAnalysis(
                spectrum: try readSpectrum(config, topCount: try config.int("top_k"), leadingVector: try config.bool("leading_vector"),
                                           operatorNorm: try config.bool("operator_norm")),
                keepModuli: try config.bool("moduli"), band: try config.optionalDouble("band"),
                comparesInitialWeights: try config.bool("compare_initial"))
        }
    }
}
