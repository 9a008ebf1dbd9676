import ArgumentParser
import Foundation
import LabRunner

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write report.md and a self-contained report.html for a sweep or run directory.")

    @Argument(help: "A sweep directory (holding sweep.json) or a run directory (holding config.yaml).")
    var directory: String

    @Option(help: "Cells whose analyses' tables and image strips (iterates, reconstructions) are shown.")
    var pictureCells = 12

    func run() throws {
        var builder = ReportBuilder(directory: directory)
        builder.pictureCells = pictureCells
        let (markdown, html) = try builder.build().write(to: directory)
        print("wrote \(markdown)")
        print("wrote \(html)")
    }
}
