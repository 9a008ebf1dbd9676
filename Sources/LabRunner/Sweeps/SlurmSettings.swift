import LabCore

/// The `#SBATCH` settings of a sweep's job arrays, from the config's `slurm`
/// block, which the command line's options override:
///
///     slurm:
///       time: "2:00:00"            # each task's limit (default 24:00:00)
///       memory: 4G                 # sbatch --mem
///       partition: long
///       account: proj42
///       cpus_per_task: 4           # default 2; also each task's BLAS threads
///       array_limit: 1000          # tasks per array, at most the cluster's MaxArraySize
///       extra: ["--qos=normal"]    # any other sbatch options, one line each
///
/// Values are checked here, so a script sbatch would reject is never written.
public struct SlurmSettings: Sendable, Equatable {
    public var time: String?
    public var memory: String?
    public var partition: String?
    public var account: String?
    public var cpusPerTask: Int?
    public var arrayLimit: Int?
    public var extra: [String] = []

    public static let defaultTime = "24:00:00"
    public static let defaultCpusPerTask = 2
    /// Below Slurm's default MaxArraySize (1001), which every task index must stay under.
    public static let defaultArrayLimit = 1000

    public init() {}

    /// The options the script sets itself, which `extra` may not repeat.
    static let ownOptions = ["--array", "-a", "--job-name", "-J", "--output", "-o", "--time", "-t", "--mem",
                             "--partition", "-p", "--account", "-A", "--cpus-per-task", "-c"]

    /// What each text key accepts, as an error message says it.
    public static let allowedText = [
        "time": "minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes, "
            + "days-hours:minutes:seconds, or UNLIMITED",
        "memory": "a whole number with an optional unit K, M, G or T (4G, 500M)",
        "partition": "a partition name, or several separated by commas (letters, digits, '-', '_', '.')",
        "account": "an account name (letters, digits, '-', '_', '.')",
        "extra": "an sbatch option starting with '-' on one line (--qos=normal), optionally after '#SBATCH', "
            + "and none the script sets itself: " + ownOptions.joined(separator: ", "),
    ]

    /// Why `text` cannot be the value of `key` (a key of `allowedText`), or nil when it can.
    public static func problem(with text: String, key: String) -> String? {
        let accepted: Bool
        let what: String
        switch key {
        case "time":
            accepted = ["UNLIMITED", "INFINITE"].contains(text) || text.wholeMatch(of: /(\d+-)?\d+(:\d+){0,2}/) != nil
            what = "a time limit"
        case "memory": (accepted, what) = (text.wholeMatch(of: /\d+[KMGT]?/) != nil, "an amount of memory")
        case "partition": (accepted, what) = (text.wholeMatch(of: /[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*/) != nil, "a partition name")
        case "account": (accepted, what) = (text.wholeMatch(of: /[A-Za-z0-9_.\-]+/) != nil, "an account name")
        case "extra": return extraProblem(text)
        default: preconditionFailure("'\(key)' is not a text key of the slurm block")
        }
        return accepted ? nil : "'\(text)' is not \(what)"
    }

    private static func extraProblem(_ text: String) -> String? {
        let option = sbatchOption(text)
        guard option.hasPrefix("-"), !option.contains(where: \.isNewline) else { return "'\(text)' is not an sbatch option" }
        let name = String(option.prefix { $0 != "=" && $0 != " " })
        guard !ownOptions.contains(name) else { return "'\(name)' is set by the script itself; use its own key or option" }
        return nil
    }

    /// `text` without a leading `#SBATCH`.
    static func sbatchOption(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("#SBATCH") else { return trimmed }
        return String(trimmed.dropFirst("#SBATCH".count)).trimmingCharacters(in: .whitespaces)
    }

    /// These settings with `other`'s wherever `other` gives one; extra lines add up.
    public func overridden(by other: SlurmSettings) -> SlurmSettings {
        var merged = self
        merged.time = other.time ?? time
        merged.memory = other.memory ?? memory
        merged.partition = other.partition ?? partition
        merged.account = other.account ?? account
        merged.cpusPerTask = other.cpusPerTask ?? cpusPerTask
        merged.arrayLimit = other.arrayLimit ?? arrayLimit
        merged.extra = extra + other.extra
        return merged
    }

    /// The `slurm` block of a config (nil: none, every default).
    static func read(_ node: ConfigNode?) throws -> SlurmSettings {
        var settings = SlurmSettings()
        guard let node else { return settings }
        let config = try ConfigReader(node)
        settings.time = try text("time", config)
        settings.memory = try text("memory", config)
        settings.partition = try text("partition", config)
        settings.account = try text("account", config)
        settings.cpusPerTask = try config.optionalInt("cpus_per_task", range: .atLeast(1))
        settings.arrayLimit = try config.optionalInt("array_limit", range: .atLeast(1))
        if let list = config.node("extra") {
            guard case .sequence(let items) = list.content else {
                throw list.error("expected a list of sbatch options, got \(list.summary)", allowed: allowedText["extra"])
            }
            settings.extra = try items.map { item in
                guard case .scalar(let line) = item.content else {
                    throw item.error("expected an sbatch option, got \(item.summary)", allowed: allowedText["extra"])
                }
                if let problem = problem(with: line, key: "extra") { throw item.error(problem, allowed: allowedText["extra"]) }
                return line
            }
        }
        try config.finish()
        return settings
    }

    private static func text(_ key: String, _ config: ConfigReader) throws -> String? {
        guard let node = config.node(key) else { return nil }
        guard case .scalar(let value) = node.content else {
            throw node.error("expected a value, got \(node.summary)", allowed: allowedText[key])
        }
        if let problem = problem(with: value, key: key) { throw node.error(problem, allowed: allowedText[key]) }
        return value
    }
}
