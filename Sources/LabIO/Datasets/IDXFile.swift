/// A file in the IDX format of the MNIST downloads: a big-endian magic number
/// 0x000008NN (0x08: unsigned bytes; NN: number of dimensions), one 32-bit
/// big-endian size per dimension, then the bytes row-major.
struct IDXFile {
    let path: String
    let dimensions: [Int]
    let values: ArraySlice<UInt8>

    static func read(_ path: String, dimensions expectedRank: Int) throws -> IDXFile {
        let bytes = try CompressedFile.read(path)
        let expectedMagic = 0x0800 | expectedRank
        func word(at offset: Int) -> Int {
            bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
        }
        guard bytes.count >= 4, word(at: 0) == expectedMagic else {
            let found = bytes.count >= 4 ? String(format: "0x%08X", word(at: 0)) : "none (\(bytes.count) bytes)"
            throw FileError(file: path, message: "magic number \(found); expected \(String(format: "0x%08X", expectedMagic)) "
                                   + "(IDX, unsigned bytes, \(expectedRank) dimension\(expectedRank == 1 ? "" : "s"))")
        }
        let header = 4 + 4 * expectedRank
        guard bytes.count >= header else {
            throw FileError(file: path, message: "ends inside its header (\(bytes.count) bytes, header is \(header))")
        }
        let dimensions = (0..<expectedRank).map { word(at: 4 + 4 * $0) }
        let size = dimensions.reduce(1, *)
        guard bytes.count == header + size else {
            throw FileError(file: path, message: "holds \(bytes.count - header) data bytes; its header \(dimensions) promises \(size)")
        }
        return IDXFile(path: path, dimensions: dimensions, values: bytes[header...])
    }
}
