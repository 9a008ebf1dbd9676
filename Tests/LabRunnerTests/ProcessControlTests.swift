import Foundation
import Testing
import TestSupport

@testable import LabRunner

/// The lock that keeps two processes off one sweep point.
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

    @Test func aLockFileThatCannotBeOpenedIsAnError() {
        #expect(throws: RunError.self) {
            try ProcessControl.withExclusiveLock(on: "/nonexistent-folder/point.lock") { 0 }
        }
    }
}
