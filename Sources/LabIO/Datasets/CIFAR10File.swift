/// One CIFAR-10 binary batch (`data_batch_1.bin` ... `test_batch.bin`):
/// records of 1 label byte then 3072 pixel bytes, 1024 red, 1024 green,
/// 1024 blue, each plane row-major over 32 x 32.
struct CIFAR10File {
    static let recordSize = 1 + 3072

    let labels: [Int]
    /// Planar pixels, 3072 per image.
    let pixels: [UInt8]

    static func read(_ path: String) throws -> CIFAR10File {
        // A batch of the download holds 10,000 records; nothing past that is decompressed.
        let bytes = try CompressedFile.read(path) { _ in 10_000 * recordSize }
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw FileError(file: path, message: "holds \(bytes.count) bytes, not a whole number of "
                                   + "\(recordSize)-byte records (1 label byte + 3072 pixel bytes)")
        }
        let count = bytes.count / recordSize
        var labels: [Int] = []
        var pixels: [UInt8] = []
        labels.reserveCapacity(count)
        pixels.reserveCapacity(count * 3072)
        for record in 0..<count {
            let start = record * recordSize
            guard bytes[start] < 10 else {
                throw FileError(file: path, message: "record \(record) has label \(bytes[start]); labels are 0-9")
            }
            labels.append(Int(bytes[start]))
            pixels.append(contentsOf: bytes[(start + 1)..<(start + recordSize)])
        }
        return CIFAR10File(labels: labels, pixels: pixels)
    }
}
