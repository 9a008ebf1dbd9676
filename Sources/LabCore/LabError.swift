/// An error of this framework's own, whose description is a complete message
/// for a person (the file, the key or object, what is allowed). The command
/// line prints these as they are.
public protocol LabError: Error, CustomStringConvertible {}
