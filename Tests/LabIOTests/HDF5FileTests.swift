import Foundation
import Testing
import TestSupport
import LabCore
@testable import LabIO

@Suite struct HDF5FileTests {
    @Test func datasetsAndAttributesRoundTrip() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("round.h5")
        let tensor = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6.5])
        do {
            let file = try HDF5File.create(path)
            try file.write(tensor, at: "/a/b/weights")
            try file.write(Int64(42), at: "/a/count")
            try file.setAttribute("names", ["é-utf8", "two"], on: "/a")
            try file.setAttribute("title", "hello")
            try file.setAttribute("epoch", Int64(7))
            try file.setAttribute("loss", 0.25)
            try file.setAttribute("state", [UInt64.max, 1, 2, 3])
            try file.close()
        }
        let file = try HDF5File.openForReading(path)
        #expect(try file.readTensor(at: "/a/b/weights") == tensor)
        #expect(try file.readInt64(at: "/a/count") == 42)
        #expect(try file.stringsAttribute("names", on: "/a") == ["é-utf8", "two"])
        #expect(try file.stringAttribute("title") == "hello")
        #expect(try file.int64Attribute("epoch") == 7)
        #expect(try file.doubleAttribute("loss") == 0.25)
        #expect(try file.uint64sAttribute("state") == [UInt64.max, 1, 2, 3])
        #expect(file.exists("/a/b") && !file.exists("/a/c"))
    }

    @Test func errorsNameTheFileAndObject() throws {
        let folder = TemporaryDirectory()
        let missing = folder.file("missing.h5")
        let openError = #expect(throws: HDF5Error.self) { try HDF5File.openForReading(missing) }
        #expect(openError?.description.hasPrefix(missing) == true)

        let path = folder.file("small.h5")
        try HDF5File.create(path).close()
        let readError = #expect(throws: HDF5Error.self) { try HDF5File.openForReading(path).readTensor(at: "/nothing/here") }
        #expect(readError?.description == "\(path): cannot find dataset '/nothing/here'")
    }
}
