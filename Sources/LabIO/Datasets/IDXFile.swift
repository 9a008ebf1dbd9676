/// A file in the IDX format of the MNIST downloads: a big-endian magic number
/// 0x000008NN (0x08: unsigned bytes; NN: number of dimensions), one 32-bit
/// big-endian size per dimension, then the bytes row-major.
struct IDXFile {
    let path: String
    let dimensions: [Int]
    let values: ArraySlice<UInt8>

    static func read(_ path: String, dimensions expectedRank: Int) throws -> IDXFile {
        let header = 4 + 4 * expectedRank
        var dimensions: [Int] = []
        // The header says how many bytes follow: nothing past them is decompressed.
        let bytes = try CompressedFile.read(path, headerBytes: header) { head in
            dimensions = try Self.dimensions(inHeader: head, rank: expectedRank, path: path)
            return header + product(dimensions)
        }
        guard bytes.count - header == product(dimensions) else {
            throw FileError(file: path, message: "holds \(bytes.count - header) data bytes; its header \(dimensions) promises \(product(dimensions))")
        }
        return IDXFile(path: path, dimensions: dimensions, values: bytes[header...])
    }

    /// The sizes a header declares, once its magic number and length are right.
    static func dimensions(inHeader head: [UInt8], rank: Int, path: String) throws -> [Int] {
        let expectedMagic = 0x0800 | rank
        guard head.count >= 4, word(head, at: 0) == expectedMagic else {
            let found = head.count >= 4 ? String(format: "0x%08X", word(head, at: 0)) : "none (\(head.count) bytes)"
            throw FileError(file: path, message: "magic number \(found); expected \(String(format: "0x%08X", expectedMagic)) "
                                   + "(IDX, unsigned bytes, \(rank) dimension\(rank == 1 ? "" : "s"))")
        }
        let header = 4 + 4 * rank
        guard head.count >= header else {
            throw FileError(file: path, message: "ends inside its header (\(head.count) bytes, header is \(header))")
        }
        return (0..<rank).map { word(head, at: 4 + 4 * $0) }
    }

    /// The number of bytes `dimensions` declare; Int.max - 1 (more than any file holds) when the product does not fit.
    static func product(_ dimensions: [Int]) -> Int {
        dimensions.reduce(1) { total, size in
            let (result, overflow) = total.multipliedReportingOverflow(by: size)
            return overflow ? Int.max - 1 : result
        }
    }

    /// The big-endian 32-bit word at `offset`.
    static func word(_ bytes: [UInt8], at offset: Int) -> Int {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
    }
}
