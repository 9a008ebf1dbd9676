import CHDF5
import Foundation
import LabCore

/// An open HDF5 file: groups, float32/int64 datasets, and attributes (numbers,
/// variable-length UTF-8 strings) addressed by absolute paths like
/// `/model_weights/dense_1`. HDF5 1.10 API only. Every failing call becomes an
/// `HDF5Error` naming the file and object; HDF5's own error printing is off.
public final class HDF5File {
    public let path: String
    private var id: hid_t
    private let defaultProperties = aelab_h5p_default()
    private let allOfDataspace = aelab_h5s_all()

    private init(path: String, id: hid_t) {
        self.path = path
        self.id = id
    }

    deinit { if id >= 0 { H5Fclose(id) } }

    /// Creates (or truncates) a file for writing.
    public static func create(_ path: String) throws -> HDF5File {
        aelab_h5_silence_errors()
        let id = H5Fcreate(path, aelab_h5f_acc_trunc(), aelab_h5p_default(), aelab_h5p_default())
        guard id >= 0 else { throw HDF5Error(file: path, object: "/", action: "create the file") }
        return HDF5File(path: path, id: id)
    }

    /// Writes a new file at `path` through `body`: built in memory, written to
    /// a temporary file beside `path` and renamed over it only once complete,
    /// so a crash, an error or a full disk never leaves a half-written file
    /// and never harms the one already there.
    public static func writeAtomically(_ path: String, _ body: (HDF5File) throws -> Void) throws {
        let file = try createInMemory(path)
        let bytes: [UInt8]
        do {
            try body(file)
            bytes = try file.image()
        } catch {
            try? file.close()
            throw error
        }
        try file.close()
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try write(bytes, to: temporary, replacing: path)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw HDF5Error(file: path, object: "/", action: "move the new file into place (\(reason))")
        }
    }

    /// An empty file in memory (HDF5's core driver without a backing store).
    /// HDF5 then never writes to disk: a write or close that fails there (a
    /// full disk) leaves a handle libhdf5 crashes on when the process exits.
    private static func createInMemory(_ path: String) throws -> HDF5File {
        aelab_h5_silence_errors()
        let access = H5Pcreate(aelab_h5p_file_access())
        guard access >= 0 else { throw HDF5Error(file: path, object: "/", action: "make file access properties for") }
        defer { H5Pclose(access) }
        guard H5Pset_fapl_core(access, 1 << 20, false) >= 0 else {
            throw HDF5Error(file: path, object: "/", action: "set up an in-memory file for")
        }
        let id = H5Fcreate(path, aelab_h5f_acc_trunc(), aelab_h5p_default(), access)
        guard id >= 0 else { throw HDF5Error(file: path, object: "/", action: "create the file in memory") }
        return HDF5File(path: path, id: id)
    }

    /// The file's bytes, as they would be on disk.
    private func image() throws -> [UInt8] {
        guard H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 else { throw error("/", "flush the file") }
        let size = H5Fget_file_image(id, nil, 0)
        guard size >= 0 else { throw error("/", "measure the image of") }
        var bytes = [UInt8](repeating: 0, count: size)
        let copied = bytes.withUnsafeMutableBytes { H5Fget_file_image(id, $0.baseAddress, size) }
        guard copied == size else { throw error("/", "copy the image of") }
        return bytes
    }

    /// Writes `bytes` to `temporary` and syncs it; on failure removes it and
    /// says that `target` was left as it was.
    private static func write(_ bytes: [UInt8], to temporary: String, replacing target: String) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw FileError(file: temporary, message: "cannot create (\(String(cString: strerror(errno)))); \(target) is left as it was")
        }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { failure = count < 0 ? errno : ENOSPC; return }
                written += count
            }
        }
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        if Glibc.close(descriptor) != 0 && failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw FileError(file: temporary, message: "cannot write \(bytes.count) bytes (\(String(cString: strerror(failure)))); removed it, \(target) is left as it was")
        }
    }

    public static func openForReading(_ path: String) throws -> HDF5File {
        aelab_h5_silence_errors()
        let id = H5Fopen(path, aelab_h5f_acc_rdonly(), aelab_h5p_default())
        guard id >= 0 else { throw HDF5Error(file: path, object: "/", action: "open as HDF5 (missing, unreadable or not HDF5)") }
        return HDF5File(path: path, id: id)
    }

    /// Opens an existing file to change it in place (tests that forge a file's attributes).
    public static func openForUpdating(_ path: String) throws -> HDF5File {
        aelab_h5_silence_errors()
        let id = H5Fopen(path, aelab_h5f_acc_rdwr(), aelab_h5p_default())
        guard id >= 0 else { throw HDF5Error(file: path, object: "/", action: "open as HDF5 for writing (missing, read-only or not HDF5)") }
        return HDF5File(path: path, id: id)
    }

    /// Flushes and closes; later calls fail. Writers call this before renaming.
    public func close() throws {
        guard id >= 0 else { return }
        let status = H5Fclose(id)
        id = -1
        guard status >= 0 else { throw HDF5Error(file: path, object: "/", action: "close the file") }
    }

    // MARK: Structure

    public func exists(_ objectPath: String) -> Bool {
        var prefix = ""
        for component in objectPath.split(separator: "/") {
            prefix += "/" + component
            guard H5Lexists(id, prefix, defaultProperties) > 0 else { return false }
        }
        return true
    }

    /// Whether the object at `objectPath` (the root by default) has the attribute `name`.
    public func hasAttribute(_ name: String, on objectPath: String = "/") -> Bool {
        exists(objectPath) && H5Aexists_by_name(id, objectPath, name, defaultProperties) > 0
    }

    /// Creates a group and any missing parents.
    public func createGroup(_ groupPath: String) throws {
        guard !exists(groupPath) else { return }
        let group = try withIntermediateGroups { H5Gcreate2(id, groupPath, $0, defaultProperties, defaultProperties) }
        guard group >= 0 else { throw error(groupPath, "create group") }
        H5Gclose(group)
    }

    // MARK: Datasets

    /// Writes a float32 dataset with the tensor's shape (parents are created).
    public func write(_ tensor: Tensor, at datasetPath: String) throws {
        try writeDataset(datasetPath, shape: tensor.shape, type: aelab_h5t_native_float()) { dataset, type in
            tensor.withUnsafeBufferPointer { H5Dwrite(dataset, type, allOfDataspace, allOfDataspace, defaultProperties, $0.baseAddress) }
        }
    }

    /// Writes a scalar int64 dataset (an optimizer's step count).
    public func write(_ value: Int64, at datasetPath: String) throws {
        try writeDataset(datasetPath, shape: [], type: aelab_h5t_native_int64()) { dataset, type in
            withUnsafePointer(to: value) { H5Dwrite(dataset, type, allOfDataspace, allOfDataspace, defaultProperties, $0) }
        }
    }

    public func readTensor(at datasetPath: String) throws -> Tensor {
        try withDataset(datasetPath) { dataset in
            let shape = try extent(of: H5Dget_space(dataset), object: datasetPath)
            var tensor = Tensor(zeros: shape)
            let status = tensor.withUnsafeMutableBufferPointer {
                H5Dread(dataset, aelab_h5t_native_float(), allOfDataspace, allOfDataspace, defaultProperties, $0.baseAddress)
            }
            guard status >= 0 else { throw error(datasetPath, "read float32 data from") }
            return tensor
        }
    }

    public func readInt64(at datasetPath: String) throws -> Int64 {
        try withDataset(datasetPath) { dataset in
            var value: Int64 = 0
            guard H5Dread(dataset, aelab_h5t_native_int64(), allOfDataspace, allOfDataspace, defaultProperties, &value) >= 0 else {
                throw error(datasetPath, "read an int64 from")
            }
            return value
        }
    }

    // MARK: Attributes

    public func setAttribute(_ name: String, _ value: String, on objectPath: String = "/") throws {
        try setStringAttribute(name, [value], scalar: true, on: objectPath)
    }

    public func setAttribute(_ name: String, _ values: [String], on objectPath: String = "/") throws {
        try setStringAttribute(name, values, scalar: false, on: objectPath)
    }

    public func setAttribute(_ name: String, _ value: Int64, on objectPath: String = "/") throws {
        try setNumericAttribute(name, [value], scalar: true, type: aelab_h5t_native_int64(), on: objectPath)
    }

    public func setAttribute(_ name: String, _ value: Double, on objectPath: String = "/") throws {
        try setNumericAttribute(name, [value], scalar: true, type: aelab_h5t_native_double(), on: objectPath)
    }

    public func setAttribute(_ name: String, _ values: [UInt64], on objectPath: String = "/") throws {
        try setNumericAttribute(name, values, scalar: false, type: aelab_h5t_native_uint64(), on: objectPath)
    }

    public func stringAttribute(_ name: String, on objectPath: String = "/") throws -> String {
        let values = try stringsAttribute(name, on: objectPath)
        guard values.count == 1 else { throw error("\(objectPath)@\(name)", "read a single string from") }
        return values[0]
    }

    public func stringsAttribute(_ name: String, on objectPath: String = "/") throws -> [String] {
        try withAttribute(name, on: objectPath) { attribute, description in
            let space = H5Aget_space(attribute)
            defer { H5Sclose(space) }
            let count = Int(H5Sget_simple_extent_npoints(space))
            let type = try variableStringType()
            defer { H5Tclose(type) }
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard count == 0 || H5Aread(attribute, type, &pointers) >= 0 else {
                throw error(description, "read strings from attribute")
            }
            defer { _ = H5Dvlen_reclaim(type, space, defaultProperties, &pointers) }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
    }

    public func int64Attribute(_ name: String, on objectPath: String = "/") throws -> Int64 {
        let values: [Int64] = try numericAttribute(name, on: objectPath, type: aelab_h5t_native_int64())
        guard values.count == 1 else { throw error("\(objectPath)@\(name)", "read a single integer from") }
        return values[0]
    }

    public func doubleAttribute(_ name: String, on objectPath: String = "/") throws -> Double {
        let values: [Double] = try numericAttribute(name, on: objectPath, type: aelab_h5t_native_double())
        guard values.count == 1 else { throw error("\(objectPath)@\(name)", "read a single number from") }
        return values[0]
    }

    /// Whether the attribute is stored as integers: reading a float as an
    /// integer would silently truncate it.
    public func attributeHoldsIntegers(_ name: String, on objectPath: String = "/") throws -> Bool {
        try withAttribute(name, on: objectPath) { attribute, description in
            let type = H5Aget_type(attribute)
            guard type >= 0 else { throw error(description, "read the type of attribute") }
            defer { H5Tclose(type) }
            return H5Tget_class(type) == H5T_INTEGER
        }
    }

    public func uint64sAttribute(_ name: String, on objectPath: String = "/") throws -> [UInt64] {
        try numericAttribute(name, on: objectPath, type: aelab_h5t_native_uint64())
    }

    // MARK: Helpers

    private func error(_ object: String, _ action: String) -> HDF5Error {
        HDF5Error(file: path, object: object, action: action)
    }

    private func withIntermediateGroups(_ body: (hid_t) -> hid_t) throws -> hid_t {
        let linkProperties = H5Pcreate(aelab_h5p_link_create())
        guard linkProperties >= 0 else { throw error("/", "create link properties for") }
        defer { H5Pclose(linkProperties) }
        H5Pset_create_intermediate_group(linkProperties, 1)
        return body(linkProperties)
    }

    private func dataspace(_ shape: [Int]) -> hid_t {
        if shape.isEmpty { return H5Screate(H5S_SCALAR) }
        let dimensions = shape.map { hsize_t($0) }
        return H5Screate_simple(Int32(shape.count), dimensions, nil)
    }

    private func extent(of space: hid_t, object: String) throws -> [Int] {
        guard space >= 0 else { throw error(object, "read the shape of") }
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0 else { throw error(object, "read the rank of") }
        var dimensions = [hsize_t](repeating: 0, count: rank)
        H5Sget_simple_extent_dims(space, &dimensions, nil)
        return dimensions.map { Int($0) }
    }

    private func writeDataset(_ datasetPath: String, shape: [Int], type: hid_t,
                              write: (hid_t, hid_t) -> herr_t) throws {
        let space = dataspace(shape)
        guard space >= 0 else { throw error(datasetPath, "make a dataspace for") }
        defer { H5Sclose(space) }
        let dataset = try withIntermediateGroups { H5Dcreate2(id, datasetPath, type, space, $0, defaultProperties, defaultProperties) }
        guard dataset >= 0 else { throw error(datasetPath, "create dataset") }
        defer { H5Dclose(dataset) }
        guard write(dataset, type) >= 0 else { throw error(datasetPath, "write dataset") }
    }

    private func withDataset<R>(_ datasetPath: String, _ body: (hid_t) throws -> R) throws -> R {
        guard exists(datasetPath) else { throw error(datasetPath, "find dataset") }
        let dataset = H5Dopen2(id, datasetPath, defaultProperties)
        guard dataset >= 0 else { throw error(datasetPath, "open dataset") }
        defer { H5Dclose(dataset) }
        return try body(dataset)
    }

    private func withAttribute<R>(_ name: String, on objectPath: String,
                                  _ body: (hid_t, String) throws -> R) throws -> R {
        let description = "\(objectPath)@\(name)"
        guard exists(objectPath), H5Aexists_by_name(id, objectPath, name, defaultProperties) > 0 else {
            throw error(description, "find attribute")
        }
        let attribute = H5Aopen_by_name(id, objectPath, name, defaultProperties, defaultProperties)
        guard attribute >= 0 else { throw error(description, "open attribute") }
        defer { H5Aclose(attribute) }
        return try body(attribute, description)
    }

    private func createAttribute(_ name: String, on objectPath: String, type: hid_t, space: hid_t) throws -> hid_t {
        if H5Aexists_by_name(id, objectPath, name, defaultProperties) > 0 {
            H5Adelete_by_name(id, objectPath, name, defaultProperties)
        }
        let attribute = H5Acreate_by_name(id, objectPath, name, type, space, defaultProperties, defaultProperties, defaultProperties)
        guard attribute >= 0 else { throw error("\(objectPath)@\(name)", "create attribute") }
        return attribute
    }

    private func variableStringType() throws -> hid_t {
        let type = H5Tcopy(aelab_h5t_c_s1())
        guard type >= 0 else { throw error("/", "make a string type for") }
        guard H5Tset_size(type, aelab_h5t_variable()) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0 else {
            H5Tclose(type)
            throw error("/", "make a string type for")
        }
        return type
    }

    private func setStringAttribute(_ name: String, _ values: [String], scalar: Bool, on objectPath: String) throws {
        let type = try variableStringType()
        defer { H5Tclose(type) }
        let space = scalar ? H5Screate(H5S_SCALAR) : dataspace([values.count])
        defer { H5Sclose(space) }
        let attribute = try createAttribute(name, on: objectPath, type: type, space: space)
        defer { H5Aclose(attribute) }
        let copies = values.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers = copies.map { UnsafePointer<CChar>($0) }
        guard values.isEmpty || H5Awrite(attribute, type, &pointers) >= 0 else {
            throw error("\(objectPath)@\(name)", "write attribute")
        }
    }

    private func setNumericAttribute<T: BitwiseCopyable>(_ name: String, _ values: [T], scalar: Bool, type: hid_t, on objectPath: String) throws {
        let space = scalar ? H5Screate(H5S_SCALAR) : dataspace([values.count])
        defer { H5Sclose(space) }
        let attribute = try createAttribute(name, on: objectPath, type: type, space: space)
        defer { H5Aclose(attribute) }
        let status = values.withUnsafeBufferPointer { H5Awrite(attribute, type, $0.baseAddress) }
        guard status >= 0 else { throw error("\(objectPath)@\(name)", "write attribute") }
    }

    private func numericAttribute<T: Numeric & BitwiseCopyable>(_ name: String, on objectPath: String, type: hid_t) throws -> [T] {
        try withAttribute(name, on: objectPath) { attribute, description in
            let space = H5Aget_space(attribute)
            defer { H5Sclose(space) }
            let count = Int(H5Sget_simple_extent_npoints(space))
            var values = [T](repeating: 0, count: count)
            let status = values.withUnsafeMutableBufferPointer { H5Aread(attribute, type, $0.baseAddress) }
            guard status >= 0 else { throw error(description, "read attribute") }
            return values
        }
    }
}
