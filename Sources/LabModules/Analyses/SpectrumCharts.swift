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
}
