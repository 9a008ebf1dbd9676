import CZlib
import Foundation

/// Reads a whole file, gunzipping it if it is gzip-compressed (zlib's gzread
/// passes plain files through unchanged), so `x.gz` and `x` read alike.
/// Decompression stops one byte past the size the file may hold, so a small
/// gzip that expands to gigabytes is refused without being expanded.
enum CompressedFile {
    /// `maximumSize` gets the first `headerBytes` bytes (fewer if the file
    /// is shorter) and says how many bytes the whole file may hold.
    static func read(_ path: String, headerBytes: Int = 0, maximumSize: ([UInt8]) throws -> Int) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileError(file: path, message: "no such file")
        }
        guard !isDirectory.boolValue else { throw FileError(file: path, message: "is a directory, not a data file") }
        guard let file = gzopen(path, "rb") else {
            throw FileError(file: path, message: "cannot open for reading")
        }
        defer { gzclose(file) }
        var bytes = try readUpTo(headerBytes, from: file, path: path)
        let limit = try maximumSize(bytes)
        if bytes.count == headerBytes {
            bytes += try readUpTo(limit + 1 - bytes.count, from: file, path: path)
        }
        guard bytes.count <= limit else {
            throw FileError(file: path, message: "holds more than the \(limit) bytes it can (trailing data, or not a file of this kind)")
        }
        return bytes
    }

    /// Up to `count` bytes (fewer at the end of the file).
    static func readUpTo(_ count: Int, from file: gzFile, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while bytes.count < count {
            let wanted = min(chunk.count, count - bytes.count)
            let read = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(wanted)) }
            guard read >= 0 else { throw FileError(file: path, message: "corrupt gzip data") }
            if read == 0 { break }
            bytes.append(contentsOf: chunk[0..<Int(read)])
        }
        return bytes
    }
}
