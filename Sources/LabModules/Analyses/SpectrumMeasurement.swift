import LabCore

/// What `jacobian_spectrum` measured on one set of weights, point by point:
/// the spectral radius, and as asked ‖J‖, every eigenvalue's modulus, the
/// number of moduli within `band` of 1, the top eigenvalues and leading vectors.
struct SpectrumMeasurement {
    var radii: [Double] = []
    var operatorNorms: [Double] = []
    /// N x d moduli, largest first in each row.
    var moduli: [Float] = []
    var nearOne: [Int] = []
    var eigenvalues: [Float] = []
    var vectors: [Float] = []
    var route = JacobianSpectrum.Route.auto
    let inputSize: Int

    init(_ spectra: [JacobianSpectrum.PointSpectrum], inputSize: Int, band: Double?, keepModuli: Bool) {
        self.inputSize = inputSize
        for result in spectra {
            radii.append(result.spectralRadius)
            route = result.route
            if let norm = result.operatorNorm { operatorNorms.append(norm) }
            if keepModuli { moduli += result.moduli.map(Float.init) }
            if let band { nearOne.append(Self.nearOneCount(result.moduli, band: band)) }
            eigenvalues += result.topEigenvalues.flatMap { [Float($0.real), Float($0.imaginary)] }
            if let vector = result.leadingVector { vectors += vector.real + vector.imaginary }
        }
    }

    /// How many moduli m satisfy |m - 1| <= band.
    static func nearOneCount(_ moduli: [Double], band: Double) -> Int {
        moduli.filter { abs($0 - 1) <= band }.count
    }

    var count: Int { radii.count }

    /// The mean over points of the fraction of J's d eigenvalues near 1.
    var meanNearOneFraction: Double {
        nearOne.isEmpty ? .nan : Double(nearOne.reduce(0, +)) / Double(nearOne.count * inputSize)
    }

    var meanNearOneCount: Double {
        nearOne.isEmpty ? .nan : Double(nearOne.reduce(0, +)) / Double(nearOne.count)
    }

    /// The per-point arrays that describe these weights, each name followed by `suffix`.
    func arrays(suffix: String) -> [(name: String, tensor: Tensor)] {
        var arrays: [(name: String, tensor: Tensor)] = [("spectral_radius" + suffix, Self.vector(radii))]
        if !operatorNorms.isEmpty { arrays.append(("operator_norm" + suffix, Self.vector(operatorNorms))) }
        if !moduli.isEmpty { arrays.append(("eigenvalue_moduli" + suffix, Tensor(shape: [count, inputSize], scalars: moduli))) }
        if !nearOne.isEmpty { arrays.append(("near_one_count" + suffix, Self.vector(nearOne.map(Double.init)))) }
        return arrays
    }

    static func vector(_ values: [Double]) -> Tensor { Tensor(shape: [values.count], scalars: values.map(Float.init)) }

    /// (min, median, max) of `values`, NaN when empty.
    static func spread(_ values: [Double]) -> (min: Double, median: Double, max: Double) {
        let sorted = values.sorted()
        guard let first = sorted.first, let last = sorted.last else { return (.nan, .nan, .nan) }
        return (first, sorted[sorted.count / 2], last)
    }

    /// `<name>_min`, `<name>_median` and `<name>_max` of `values`, for a summary.
    static func spreadEntries(_ name: String, of values: [Double]) -> [ConfigValue.Entry] {
        let (low, median, high) = spread(values)
        return [ConfigValue.Entry("\(name)_min", .double(low)), ConfigValue.Entry("\(name)_median", .double(median)),
                ConfigValue.Entry("\(name)_max", .double(high))]
    }
}
