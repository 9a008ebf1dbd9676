import Foundation
import Testing
@testable import LabCore

@Suite struct BLASTests {
    /// The benchmarks print this name: it must be the kernels OpenBLAS
    /// loaded, which follow OPENBLAS_CORETYPE where the machine sets it.
    @Test func coreNameIsTheLoadedKernels() {
        let name = BLAS.coreName
        #expect(!name.isEmpty && name != "Unknown")
        if let requested = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
            #expect(name.lowercased() == requested.lowercased())
        }
        // scripts/compare-pytorch reads the kernels back from this phrase.
        #expect(BLAS.settingsDescription.hasSuffix("BLAS threads, OpenBLAS \(name) kernels"))
    }
}
