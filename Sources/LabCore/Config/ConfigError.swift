/// A config mistake, told as `file:line:column: key.path: message (allowed: ...)`.
public struct ConfigError: LabError, Sendable {
    public var location: SourceLocation
    public var keyPath: String
    public var message: String
    public var allowed: String?
    /// A key nothing reads: reported before the values of a config, all at once.
    public var isUnknownKey: Bool

    public init(location: SourceLocation, keyPath: String, message: String, allowed: String? = nil, isUnknownKey: Bool = false) {
        self.location = location
        self.keyPath = keyPath
        self.message = message
        self.allowed = allowed
        self.isUnknownKey = isUnknownKey
    }

    public var description: String {
        let path = keyPath.isEmpty ? "" : "\(keyPath): "
        let allowedText = allowed.map { " (allowed: \($0))" } ?? ""
        return "\(location): error: \(path)\(message)\(allowedText)"
    }
}
