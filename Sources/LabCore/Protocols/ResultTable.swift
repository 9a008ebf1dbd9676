/// A table an analysis asks the report to show for each run it pictures.
public struct ResultTable: Sendable, Equatable, Codable {
    public var title: String
    public var header: [String]
    public var rows: [[String]]
    public var caption: String

    public init(title: String, header: [String], rows: [[String]], caption: String = "") {
        (self.title, self.header, self.rows, self.caption) = (title, header, rows, caption)
    }
}
