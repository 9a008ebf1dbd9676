import Foundation
import Testing
import TestSupport

@testable import LabRunner

/// The lock that keeps two processes off one run directory.
@Suite struct ProcessControlTests {
    /// flock locks belong to an open file, so a second open of the same path is refused even in this process.
    @Test func aHeldLockRefusesASecondHolderUntilReleased() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("point.lock")
        let inner = try ProcessControl.withExclusiveLock(on: path) {
            try ProcessControl.withExclusiveLock(on: path) { "second holder ran" }
        }
        #expect(inner == .some(nil))
        #expect(try ProcessControl.withExclusiveLock(on: path) { 7 } == 7)
    }

    /// A process refused the lock can say which process holds it.
    @Test func theLockFileNamesItsHolder() throws {
        let folder = TemporaryDirectory()
        let path = folder.file("run.lock")
        try "stale text".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ProcessControl.withExclusiveLock(on: path) { ProcessControl.lockHolder(of: path) } == getpid())
        #expect(ProcessControl.lockHolder(of: folder.file("missing.lock")) == nil)
    }

    @Test func aLockFileThatCannotBeOpenedIsAnError() {
        #expect(throws: RunError.self) {
            try ProcessControl.withExclusiveLock(on: "/nonexistent-folder/point.lock") { 0 }
        }
    }
}
