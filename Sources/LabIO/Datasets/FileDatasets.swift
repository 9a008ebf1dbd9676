import Foundation
import LabCore

/// The datasets read from files: `mnist` and `fashion_mnist` (IDX files,
/// gzipped or not) and `cifar10` (binary batches). The data directory is the
/// config's `directory` (relative to the config file), else an environment
/// variable, else standard places (Debian's `dataset-fashion-mnist` package
/// installs /usr/share/datasets/fashion-mnist).
public enum FileDatasets {
    public static func register(in registry: inout Registry) {
        registry.datasets.register("mnist", summary: "MNIST digits, 28 x 28 x 1, from IDX files",
                                   parameters: parameters(grayscaleOption: false)) { config, context in
            try idx(config, context, name: "mnist", environment: "AELAB_MNIST_DIR",
                    places: ["/usr/share/datasets/mnist", "~/.aelab/datasets/mnist"])
        }
        registry.datasets.register("fashion_mnist", summary: "Fashion-MNIST articles, 28 x 28 x 1, from IDX files",
                                   parameters: parameters(grayscaleOption: false)) { config, context in
            try idx(config, context, name: "fashion_mnist", environment: "AELAB_FASHION_MNIST_DIR",
                    places: ["/usr/share/datasets/fashion-mnist", "~/.aelab/datasets/fashion-mnist"])
        }
        registry.datasets.register("cifar10", summary: "CIFAR-10 images, 32 x 32 x 3, from the binary batches",
                                   parameters: parameters(grayscaleOption: true)) { config, context in
            try cifar10(config, context)
        }
    }

    /// `first: N` asks for N images: fewer kept (a split too small, or `per_class` and `exclude` leaving fewer) is a mistake to name.
    static func checkedFirst(_ dataset: ImageDataset, _ selection: ImageDataset.Selection, _ config: ConfigReader) throws -> ImageDataset {
        if let first = selection.first, dataset.count < first {
            throw config.located("first").error("\(first) images asked for, but the split keeps \(dataset.count)",
                                              allowed: "at most \(dataset.count)")
        }
        return dataset
    }

    static func parameters(grayscaleOption: Bool) -> [ParameterSpec] {
        [ParameterSpec("directory", .text, optional: true, doc: "data folder (default: environment variable, then standard places)"),
         .choice("split", ["train", "test"], default: "train", doc: "the training or the test files"),
         .integer("first", range: .atLeast(1), optional: true, doc: "keep only the first N images (after the filters below)"),
         .integer("per_class", range: .atLeast(1), optional: true, doc: "keep at most N images of each class"),
         ParameterSpec("exclude", .integers, default: .list([]), range: .closed(0, 9), doc: "classes to leave out"),
         .boolean("flatten", default: true, doc: "flat samples (for dense layers) or [height, width, channels]"),
         .boolean("scale", default: true, doc: "scale pixels to [0, 1] (else 0-255)")]
            + (grayscaleOption ? [.boolean("grayscale", default: false, doc: "one luminance channel instead of RGB"),
                                  .choice("layout", ["channels_last", "planar"], default: "channels_last",
                                          doc: "flat samples with channels interleaved, or planar: 1024 red, 1024 green, 1024 blue values, as the files store them")]
                                : [])
    }

    static func selection(_ config: ConfigReader) throws -> ImageDataset.Selection {
        ImageDataset.Selection(first: try config.optionalInt("first"), perClass: try config.optionalInt("per_class"),
                               excluded: Set(try config.intList("exclude")))
    }

    static func idx(_ config: ConfigReader, _ context: BuildContext, name: String, environment: String, places: [String]) throws -> ImageDataset {
        let directory = try locate(config, context, name: name, environment: environment, places: places)
        let prefix = try config.string("split") == "train" ? "train" : "t10k"
        let selection = try selection(config)
        let conversion = ImageDataset.Conversion(flatten: try config.bool("flatten"), scale: try config.bool("scale"))
        let images = try IDXFile.read(file("\(prefix)-images-idx3-ubyte", in: directory), dimensions: 3)
        let labels = try IDXFile.read(file("\(prefix)-labels-idx1-ubyte", in: directory), dimensions: 1)
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw FileError(file: labels.path, message: "holds \(labels.dimensions[0]) labels for \(images.dimensions[0]) images in \(images.path)")
        }
        // MNIST and Fashion-MNIST are 28 x 28 images of ten classes; anything else only looks like them.
        guard images.dimensions[1] == 28, images.dimensions[2] == 28 else {
            throw FileError(file: images.path, message: "holds \(images.dimensions[1]) x \(images.dimensions[2]) images; MNIST's are 28 x 28")
        }
        if let index = labels.values.firstIndex(where: { $0 > 9 }) {
            throw FileError(file: labels.path, message: "label \(index - labels.values.startIndex) is \(labels.values[index]); labels are 0-9")
        }
        return try checkedFirst(ImageDataset(pixels: images.values, labels: labels.values.map(Int.init), height: images.dimensions[1],
                                             width: images.dimensions[2], channels: 1, planar: false, selection: selection,
                                             conversion: conversion), selection, config)
    }

    static func cifar10(_ config: ConfigReader, _ context: BuildContext) throws -> ImageDataset {
        var directory = try locate(config, context, name: "cifar10", environment: "AELAB_CIFAR10_DIR", places: ["~/.aelab/datasets/cifar10"])
        let nested = (directory as NSString).appendingPathComponent("cifar-10-batches-bin")
        if FileManager.default.fileExists(atPath: nested) { directory = nested }
        let names = try config.string("split") == "train" ? (1...5).map { "data_batch_\($0).bin" } : ["test_batch.bin"]
        let selection = try selection(config)
        let planar = try config.string("layout") == "planar"
        if planar, try !config.bool("flatten") {
            throw config.located("layout").error("layout: planar describes flat samples; images [height, width, channels] are always channels last",
                                               allowed: "flatten: true with layout planar")
        }
        let conversion = ImageDataset.Conversion(grayscale: try config.bool("grayscale"), flatten: try config.bool("flatten"),
                                                 scale: try config.bool("scale"), planarOutput: planar)
        var labels: [Int] = []
        var pixels: [UInt8] = []
        for name in names {
            let batch = try CIFAR10File.read((directory as NSString).appendingPathComponent(name))
            labels += batch.labels
            pixels += batch.pixels
        }
        return try checkedFirst(ImageDataset(pixels: pixels[...], labels: labels, height: 32, width: 32, channels: 3, planar: true,
                                             selection: selection, conversion: conversion), selection, config)
    }

    /// `stem` or `stem.gz` in `directory`, whichever exists (else the plain name, whose absence the reader reports).
    static func file(_ stem: String, in directory: String) -> String {
        let plain = (directory as NSString).appendingPathComponent(stem)
        return FileManager.default.fileExists(atPath: plain) || !FileManager.default.fileExists(atPath: plain + ".gz") ? plain : plain + ".gz"
    }

    static func locate(_ config: ConfigReader, _ context: BuildContext, name: String, environment: String, places: [String]) throws -> String {
        if let given = try config.optionalString("directory") {
            var path = given.hasPrefix("/") ? given : (context.baseDirectory as NSString).appendingPathComponent(given)
            if !path.hasPrefix("/") { path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path) }
            path = (path as NSString).standardizingPath
            guard FileManager.default.fileExists(atPath: path) else {
                throw config.located("directory").error("no folder at \(path)")
            }
            // The resolved config keeps the folder absolute, so the run directory's
            // config.yaml finds the data wherever it is read from.
            config.record("directory", .string(path))
            return path
        }
        if let path = ProcessInfo.processInfo.environment[environment], !path.isEmpty {
            guard FileManager.default.fileExists(atPath: path) else {
                throw config.node.error("$\(environment) names \(path), which does not exist")
            }
            return path
        }
        let expanded = places.map { ($0 as NSString).expandingTildeInPath }
        guard let found = expanded.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw config.node.error("no data folder for \(name): 'directory' is not given, $\(environment) is not set, and none of \(expanded.joined(separator: ", ")) exists",
                                    allowed: "directory: PATH (relative to the config file)")
        }
        return found
    }
}
