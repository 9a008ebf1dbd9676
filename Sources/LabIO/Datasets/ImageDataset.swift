import LabCore

/// Images read from a dataset's files, selected and converted once:
/// samples `[height, width, channels]` (channels last, as Keras keeps them),
/// or flat (channels interleaved, or plane after plane), scaled to [0, 1]
/// (k / 255) or kept at 0-255.
public struct ImageDataset: Dataset {
    public let samples: Tensor
    public let labels: [Int]?

    public var count: Int { samples.rows }
    public var sampleShape: [Int] { Array(samples.shape.dropFirst()) }

    public func batch(_ indices: [Int]) -> Tensor { samples.gatherRows(indices) }

    /// Which images to keep, by label, in file order.
    public struct Selection: Sendable {
        public var first: Int?
        public var perClass: Int?
        public var excluded: Set<Int>

        public init(first: Int? = nil, perClass: Int? = nil, excluded: Set<Int> = []) {
            self.first = first
            self.perClass = perClass
            self.excluded = excluded
        }

        /// Indices of the kept images: excluded classes dropped, then at most
        /// `perClass` of each class, then the first `first`.
        func indices(labels: [Int]) -> [Int] {
            var taken: [Int: Int] = [:]
            var kept: [Int] = []
            for (index, label) in labels.enumerated() where !excluded.contains(label) {
                if let perClass {
                    guard taken[label, default: 0] < perClass else { continue }
                    taken[label, default: 0] += 1
                }
                kept.append(index)
                if let first, kept.count == first { break }
            }
            return kept
        }
    }

    public struct Conversion: Sendable {
        public var grayscale = false
        public var flatten = true
        public var scale = true
        /// Flat samples plane after plane (all of channel 0, then 1, ...), as
        /// CIFAR-10's files store them, instead of channels interleaved.
        public var planarOutput = false

        public init(grayscale: Bool = false, flatten: Bool = true, scale: Bool = true, planarOutput: Bool = false) {
            self.grayscale = grayscale
            self.flatten = flatten
            self.scale = scale
            self.planarOutput = planarOutput
        }
    }

    /// Images of `height x width x channels` bytes each in `pixels`, stored
    /// channels-last or (`planar`) one whole plane per channel.
    init(pixels: ArraySlice<UInt8>, labels: [Int], height: Int, width: Int, channels: Int, planar: Bool,
         selection: Selection, conversion: Conversion) {
        let kept = selection.indices(labels: labels)
        let gray = conversion.grayscale && channels == 3
        let outChannels = gray ? 1 : channels
        let imageSize = height * width * channels
        let plane = height * width
        // Division, not a multiply by 1/255, so that byte k becomes exactly the float nearest k/255.
        let divisor: Float = conversion.scale ? 255 : 1
        let shape = conversion.flatten ? [kept.count, height * width * outChannels] : [kept.count, height, width, outChannels]
        let planarOut = conversion.planarOutput && !gray
        samples = pixels.withContiguousStorageIfAvailable { bytes in
            Tensor(shape: shape) { out in
                for (row, image) in kept.enumerated() {
                    let start = image * imageSize
                    let base = row * plane * outChannels
                    for pixel in 0..<plane {
                        func channel(_ c: Int) -> Float {
                            Float(bytes[start + (planar ? c * plane + pixel : pixel * channels + c)])
                        }
                        if gray {
                            // ITU-R BT.601 luma, as most grayscale conversions use.
                            out[base + pixel] = (0.299 * channel(0) + 0.587 * channel(1) + 0.114 * channel(2)) / divisor
                        } else {
                            for c in 0..<channels {
                                out[base + (planarOut ? c * plane + pixel : pixel * channels + c)] = channel(c) / divisor
                            }
                        }
                    }
                }
            }
        }!
        self.labels = kept.map { labels[$0] }
    }
}
