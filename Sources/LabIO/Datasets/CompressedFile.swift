import CZlib
import Foundation

/// Reads a whole file, gunzipping it if it is gzip-compressed (zlib's gzread
/// passes plain files through unchanged), so `x.gz` and `x` read alike.
enum CompressedFile {
    static func read(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw FileError(file: path, message: "no such file")
        }
        guard let file = gzopen(path, "rb") else {
            throw FileError(file: path, message: "cannot open for reading")
        }
        defer { gzclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            guard count >= 0 else { throw FileError(file: path, message: "corrupt gzip data") }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<Int(count)])
        }
        return bytes
    }
}
