import LabCore

/// The charts of Jacobian spectra the analyses that compute them declare for
/// the report. Both `attractors` and `jacobian_spectrum` declare the radius
/// charts under the same titles, so a run with both gets them once.
enum SpectrumCharts {
    static let radii = [
        ResultChart(title: "Spectral radius at each training point", kind: .scatter, array: "spectral_radius",
                    xLabel: "training point", yLabel: "spectral radius of J", yScale: .auto, guide: 1,
                    caption: "Spectral radius of the Jacobian at each training point (dashed: 1; below it a fixed point attracts)."),
        ResultChart(title: "Distribution of spectral radii", kind: .histogram, array: "spectral_radius",
                    xLabel: "spectral radius of J", yLabel: "training points", guide: 1,
                    caption: "Spectral radii over all training points (dashed: 1)."),
    ]

    static let topEigenvalues = ResultChart(
        title: "Largest eigenvalues of J", kind: .complexPlane, array: "top_eigenvalues", xLabel: "real part", yLabel: "imaginary part",
        caption: "Top eigenvalues of the Jacobian at every training point, with the unit circle.")

    static let operatorNorms = ResultChart(
        title: "Operator norm at each training point", kind: .scatter, array: "operator_norm",
        xLabel: "training point", yLabel: "‖J‖ (largest singular value)", yScale: .auto, guide: 1,
        caption: "Operator norm of the Jacobian at each training point (dashed: 1); it bounds the spectral radius from above.")

    static let moduli = ResultChart(
        title: "Eigenvalue moduli of J", kind: .histogram, array: "eigenvalue_moduli",
        xLabel: "|λ|", yLabel: "eigenvalues", guide: 1,
        caption: "Moduli of all eigenvalues of the Jacobian, every training point pooled (dashed: 1).")

    static func nearOne(band: Double) -> ResultChart {
        ResultChart(title: "Eigenvalues of modulus near 1", kind: .scatter, array: "near_one_count",
                    xLabel: "training point", yLabel: "eigenvalues with ||λ| - 1| <= \(band)",
                    caption: "How many eigenvalues of the Jacobian lie within \(band) of the unit circle at each training point.")
    }

    /// The paper's first figure: the radius at initialisation, and how training moved it.
    static let initialComparison = [
        ResultChart(title: "Spectral radius at initialisation", kind: .scatter, array: "spectral_radius_initial",
                    xLabel: "training point", yLabel: "spectral radius of J at init", yScale: .auto, guide: 1,
                    caption: "Spectral radius of the Jacobian of the initial weights (init.h5) at each training point (dashed: 1)."),
        ResultChart(title: "Change of the spectral radius in training", kind: .scatter, array: "spectral_radius_change",
                    xLabel: "training point", yLabel: "radius trained - radius at init", guide: 0,
                    caption: "Spectral radius after training minus at initialisation, at each training point (dashed: no change)."),
        ResultChart(title: "Distribution of spectral radii at initialisation", kind: .histogram, array: "spectral_radius_initial",
                    xLabel: "spectral radius of J at init", yLabel: "training points", guide: 1,
                    caption: "Spectral radii of the initial weights over all training points (dashed: 1)."),
    ]

    static let initialModuli = ResultChart(
        title: "Eigenvalue moduli of J at initialisation", kind: .histogram, array: "eigenvalue_moduli_initial",
        xLabel: "|λ| at init", yLabel: "eigenvalues", guide: 1,
        caption: "Moduli of all eigenvalues of the initial weights' Jacobian, every training point pooled (dashed: 1).")
}
