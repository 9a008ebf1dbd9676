import Foundation
import LabIO

/// A report as a list of blocks, written twice: `report.md` with its
/// pictures as files beside it (report-files/), and a self-contained
/// `report.html` with the PNGs inline (base64) and the SVGs embedded.
public struct ReportDocument {
    public enum Block {
        case heading(Int, String)
        case paragraph(String)
        case table(header: [String], rows: [[String]])
        case png(name: String, data: Data, caption: String)
        case svg(name: String, text: String, caption: String)
    }

    public var title: String
    public var blocks: [Block] = []

    public init(title: String) {
        self.title = title
    }

    public mutating func add(_ block: Block) { blocks.append(block) }

    /// Writes report.md, report-files/ and report.html into `directory`; returns their paths.
    public func write(to directory: String) throws -> (markdown: String, html: String) {
        let files = (directory as NSString).appendingPathComponent("report-files")
        let markdownPath = (directory as NSString).appendingPathComponent("report.md")
        let htmlPath = (directory as NSString).appendingPathComponent("report.html")
        do {
            try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
            var markdown = "# \(title)\n\n"
            var html = """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>\(XMLText.escaped(title))</title>
                <style>
                body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
                table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }
                th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
                th { background: #f0f0f0; } td:first-child, th:first-child { text-align: left; }
                figure { margin: 1em 0 2em; } figcaption { font-size: 13px; color: #555; max-width: 900px; }
                img { image-rendering: pixelated; border: 1px solid #ddd; }
                </style></head><body>
                <h1>\(XMLText.escaped(title))</h1>

                """
            for block in blocks {
                switch block {
                case .heading(let level, let text):
                    markdown += String(repeating: "#", count: level + 1) + " \(text)\n\n"
                    html += "<h\(level + 1)>\(XMLText.escaped(text))</h\(level + 1)>\n"
                case .paragraph(let text):
                    markdown += text + "\n\n"
                    html += "<p>\(XMLText.escaped(text))</p>\n"
                case .table(let header, let rows):
                    markdown += "| " + header.joined(separator: " | ") + " |\n|" + header.map { _ in " --- |" }.joined() + "\n"
                    markdown += rows.map { "| " + $0.joined(separator: " | ") + " |\n" }.joined() + "\n"
                    html += "<table><tr>" + header.map { "<th>\(XMLText.escaped($0))</th>" }.joined() + "</tr>\n"
                    html += rows.map { "<tr>" + $0.map { "<td>\(Self.emphasised($0))</td>" }.joined() + "</tr>\n" }.joined() + "</table>\n"
                case .png(let name, let data, let caption):
                    try data.write(to: URL(fileURLWithPath: (files as NSString).appendingPathComponent(name + ".png")))
                    markdown += "![\(caption)](report-files/\(name).png)\n\n*\(caption)*\n\n"
                    html += "<figure><img alt=\"\(XMLText.escaped(caption))\" src=\"data:image/png;base64,\(data.base64EncodedString())\">"
                        + "<figcaption>\(XMLText.escaped(caption))</figcaption></figure>\n"
                case .svg(let name, let text, let caption):
                    try text.write(toFile: (files as NSString).appendingPathComponent(name + ".svg"), atomically: true, encoding: .utf8)
                    markdown += "![\(caption)](report-files/\(name).svg)\n\n*\(caption)*\n\n"
                    html += "<figure>\(text)<figcaption>\(XMLText.escaped(caption))</figcaption></figure>\n"
                }
            }
            html += "</body></html>\n"
            try markdown.write(toFile: markdownPath, atomically: true, encoding: .utf8)
            try html.write(toFile: htmlPath, atomically: true, encoding: .utf8)
        } catch {
            throw RunError("\(directory): cannot write the report (\(error.localizedDescription))")
        }
        return (markdownPath, htmlPath)
    }

    /// A table cell's text for HTML: escaped, with Markdown's `**bold**` spans as <strong>.
    static func emphasised(_ text: String) -> String {
        text.components(separatedBy: "**").enumerated()
            .map { $0.offset % 2 == 1 ? "<strong>\(XMLText.escaped($0.element))</strong>" : XMLText.escaped($0.element) }.joined()
    }
}
