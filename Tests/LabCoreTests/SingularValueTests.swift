import Testing
@testable import LabCore

@Suite struct SingularValueTests {
    /// [[0, 4], [3, 0], [0, 0]] (3 x 2): singular values 4 and 3, largest first.
    @Test func aTallMatrixHasItsSingularValues() throws {
        let svd = try SingularValueDecomposition(columnMajor: [0, 3, 0, 4, 0, 0], rows: 3, columns: 2)
        #expect(svd.values.count == 2)
        #expect(abs(svd.values[0] - 4) < 1e-12 && abs(svd.values[1] - 3) < 1e-12)
        #expect(svd.largest == svd.values[0])
        // [[1, 1], [1, 1]]: rank one, singular values 2 and 0.
        let rankOne = try SingularValueDecomposition(columnMajor: [1, 1, 1, 1], rows: 2, columns: 2)
        #expect(abs(rankOne.values[0] - 2) < 1e-12 && abs(rankOne.values[1]) < 1e-12)
        #expect(try SingularValueDecomposition(columnMajor: [], rows: 0, columns: 3).largest == 0)
    }
}
