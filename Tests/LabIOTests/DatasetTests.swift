import Foundation
import Testing
import LabCore
import TestSupport
@testable import LabIO

/// The readers on real data: the shared MNIST subset and CIFAR-10 test images,
/// Fashion-MNIST from Debian's package, and files written here in the real formats.
@Suite struct DatasetTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path

    func build(_ type: String, _ parameters: [ConfigValue.Entry], base: String = "/") throws -> ImageDataset {
        var registry = Registry()
        FileDatasets.register(in: &registry)
        let node = ConfigNode.synthesized(.map([ConfigValue.Entry("type", .string(type))] + parameters), keyPath: "data")
        return try registry.datasets.build(node, context: BuildContext(registry: registry, baseDirectory: base)).module as! ImageDataset
    }

    @Test func mnistSubsetHas500OfEachDigit() throws {
        let mnist = try build("mnist", [.init("directory", .string("\(Self.shared)/mnist-5k"))])
        #expect(mnist.count == 5000 && mnist.sampleShape == [784])
        let counts = Dictionary(grouping: mnist.labels!, by: { $0 }).mapValues(\.count)
        #expect(counts == Dictionary(uniqueKeysWithValues: (0..<10).map { ($0, 500) }))
        #expect(mnist.samples.scalars.allSatisfy { $0 >= 0 && $0 <= 1 } && mnist.samples.scalars.contains(1))
    }

    @Test func selectionAndShapeOptions() throws {
        let directory = ConfigValue.Entry("directory", .string("mnist-5k"))
        let perClass = try build("mnist", [directory, .init("per_class", .int(3)), .init("exclude", .list([.int(0), .int(9)])),
                                           .init("flatten", .bool(false)), .init("scale", .bool(false))], base: Self.shared)
        #expect(perClass.count == 24 && perClass.sampleShape == [28, 28, 1])
        #expect(Set(perClass.labels!) == Set(1...8))
        #expect(perClass.samples.scalars.max() == 255)
        let first = try build("mnist", [directory, .init("first", .int(7))], base: Self.shared)
        let all = try build("mnist", [directory], base: Self.shared)
        #expect(first.labels! == Array(all.labels!.prefix(7)))
        #expect(first.samples == all.samples.rows(0..<7))
    }

    @Test func cifar10TestImagesHaveTheirLabelsAndChannelsLast() throws {
        let cifar = try build("cifar10", [.init("directory", .string("\(Self.shared)/cifar10-20")), .init("split", .string("test")),
                                          .init("flatten", .bool(false)), .init("scale", .bool(false))])
        #expect(cifar.count == 20 && cifar.sampleShape == [32, 32, 3])
        #expect(cifar.labels! == [3, 8, 8, 0, 6, 6, 1, 6, 3, 1, 0, 9, 5, 7, 9, 8, 5, 7, 8, 6])
        // The first pixel of image 0 is (R, G, B) from the three planes of the record.
        let raw = try Data(contentsOf: URL(fileURLWithPath: "\(Self.shared)/cifar10-20/test_batch.bin"))
        #expect(Array(cifar.samples.scalars[0..<3]) == [Float(raw[1]), Float(raw[1 + 1024]), Float(raw[1 + 2048])])
        let gray = try build("cifar10", [.init("directory", .string("\(Self.shared)/cifar10-20")), .init("split", .string("test")),
                                         .init("grayscale", .bool(true)), .init("scale", .bool(false))])
        #expect(gray.sampleShape == [1024])
        #expect(abs(gray.samples[0] - (0.299 * Float(raw[1]) + 0.587 * Float(raw[1025]) + 0.114 * Float(raw[2049]))) < 1e-3)
    }

    /// The memorisation study's CIFAR-10 input: each record's 3072 bytes in file order, as k / 255.
    @Test func cifar10PlanarLayoutIsTheFileOrderScaledByDivision() throws {
        let directory = ConfigValue.Entry("directory", .string("\(Self.shared)/cifar10-20"))
        let planar = try build("cifar10", [directory, .init("split", .string("test")), .init("layout", .string("planar")),
                                           .init("per_class", .int(1))])
        let raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(Self.shared)/cifar10-20/test_batch.bin")))
        #expect(planar.labels! == [3, 8, 0, 6, 1, 9, 5, 7])
        // Image 2 of the selection is record 3 (label 0).
        let record = Array(raw[(3 * 3073 + 1)..<(4 * 3073)])
        #expect(Array(planar.samples.scalars[(2 * 3072)..<(3 * 3072)]) == record.map { Float($0) / 255 })
        #expect(throws: ConfigError.self) {
            try build("cifar10", [directory, .init("split", .string("test")), .init("layout", .string("planar")), .init("flatten", .bool(false))])
        }
    }

    @Test func fashionMNISTFromDebiansPackage() throws {
        let fashion = try build("fashion_mnist", [.init("split", .string("test"))])
        #expect(fashion.count == 10000 && fashion.sampleShape == [784])
        #expect(Dictionary(grouping: fashion.labels!, by: { $0 }).values.allSatisfy { $0.count == 1000 })
    }

    @Test func malformedFilesAreNamedWithWhatWasExpected() throws {
        let folder = TemporaryDirectory()
        // CIFAR-10 format written here: two records, then one cut short.
        var record = [UInt8](repeating: 7, count: 3073)
        record[0] = 4
        try Data(record + record).write(to: URL(fileURLWithPath: folder.file("test_batch.bin")))
        let two = try build("cifar10", [.init("directory", .string(folder.path)), .init("split", .string("test"))])
        #expect(two.labels! == [4, 4])
        try Data(record + record.prefix(100)).write(to: URL(fileURLWithPath: folder.file("test_batch.bin")))
        let truncated = #expect(throws: FileError.self) {
            try build("cifar10", [.init("directory", .string(folder.path)), .init("split", .string("test"))])
        }
        #expect(truncated?.description == "\(folder.file("test_batch.bin")): holds 3173 bytes, not a whole number of 3073-byte records (1 label byte + 3072 pixel bytes)")

        // IDX with the labels' magic where images belong, and a cut-short image file.
        let labels = try Data(contentsOf: URL(fileURLWithPath: "\(Self.shared)/mnist-5k/train-labels-idx1-ubyte.gz"))
        try labels.write(to: URL(fileURLWithPath: folder.file("train-images-idx3-ubyte.gz")))
        try labels.write(to: URL(fileURLWithPath: folder.file("train-labels-idx1-ubyte.gz")))
        let magic = #expect(throws: FileError.self) { try build("mnist", [.init("directory", .string(folder.path))]) }
        #expect(magic?.description == "\(folder.file("train-images-idx3-ubyte.gz")): magic number 0x00000801; expected 0x00000803 (IDX, unsigned bytes, 3 dimensions)")
        try Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]).write(to: URL(fileURLWithPath: folder.file("train-images-idx3-ubyte")))
        let short = #expect(throws: FileError.self) { try build("mnist", [.init("directory", .string(folder.path))]) }
        #expect(short?.description == "\(folder.file("train-images-idx3-ubyte")): holds 3 data bytes; its header [2, 28, 28] promises 1568")
        // Two 28 x 27 images, then two 28 x 28 images with labels 3 and 10.
        try (Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 27]) + Data(count: 2 * 28 * 27))
            .write(to: URL(fileURLWithPath: folder.file("train-images-idx3-ubyte")))
        try Data([0, 0, 8, 1, 0, 0, 0, 2, 3, 10]).write(to: URL(fileURLWithPath: folder.file("train-labels-idx1-ubyte")))
        try FileManager.default.removeItem(atPath: folder.file("train-labels-idx1-ubyte.gz"))
        try FileManager.default.removeItem(atPath: folder.file("train-images-idx3-ubyte.gz"))
        let narrow = #expect(throws: FileError.self) { try build("mnist", [.init("directory", .string(folder.path))]) }
        #expect(narrow?.description == "\(folder.file("train-images-idx3-ubyte")): holds 28 x 27 images; MNIST's are 28 x 28")
        try (Data([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]) + Data(count: 2 * 28 * 28))
            .write(to: URL(fileURLWithPath: folder.file("train-images-idx3-ubyte")))
        let label = #expect(throws: FileError.self) { try build("mnist", [.init("directory", .string(folder.path))]) }
        #expect(label?.description == "\(folder.file("train-labels-idx1-ubyte")): label 1 is 10; labels are 0-9")
    }

    /// A small gzip that would expand to 10 MB behind a header promising one 28 x 28 image is
    /// refused after 800 bytes; a folder where a data file should be is named as one.
    @Test func decompressionStopsWhereTheHeaderSaysAndFoldersAreNotFiles() throws {
        let folder = TemporaryDirectory()
        let header = Data([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28])
        let raw = folder.file("raw")
        try (header + Data(count: 10_000_000)).write(to: URL(fileURLWithPath: raw))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c", raw]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        try gzip.run()
        let compressed = pipe.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        #expect(compressed.count < 100_000)
        try compressed.write(to: URL(fileURLWithPath: folder.file("train-images-idx3-ubyte.gz")))
        let bomb = #expect(throws: FileError.self) { try build("mnist", [.init("directory", .string(folder.path))]) }
        #expect(bomb?.description == "\(folder.file("train-images-idx3-ubyte.gz")): holds more than the 800 bytes it can (trailing data, or not a file of this kind)")

        let other = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: other.file("train-images-idx3-ubyte"), withIntermediateDirectories: true)
        let directory = #expect(throws: FileError.self) { try build("mnist", [.init("directory", .string(other.path))]) }
        #expect(directory?.description == "\(other.file("train-images-idx3-ubyte")): is a directory, not a data file")
    }

    @Test func askingForMoreImagesThanTheSplitHoldsIsAnError() throws {
        let error = #expect(throws: ConfigError.self) {
            try build("mnist", [.init("directory", .string("\(Self.shared)/mnist-5k")), .init("first", .int(1_000_000_000))])
        }
        #expect(error?.description.contains("first: 1000000000 images asked for, but the split keeps 5000") == true, "\(String(describing: error))")
    }

    @Test func aMissingFolderIsAConfigError() throws {
        let error = #expect(throws: ConfigError.self) { try build("mnist", [.init("directory", .string("/no/such/folder"))]) }
        #expect(error?.description.contains("data.directory: no folder at /no/such/folder") == true)
    }
}
