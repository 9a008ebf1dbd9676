import LabCore
import LabIO
import LabModules

/// Every built-in module: LabModules' and the file-backed datasets of LabIO.
public enum StandardModules {
    public static func register(in registry: inout Registry) {
        BuiltinModules.register(in: &registry)
        FileDatasets.register(in: &registry)
    }

    public static var registry: Registry {
        var registry = Registry()
        register(in: &registry)
        return registry
    }
}
