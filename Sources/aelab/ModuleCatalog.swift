import LabCore
import LabModules
import LabRunner
import RecallAnalysis
import SiLUActivation

/// Every module this build of `aelab` knows: the built-ins, then each plugin.
/// Adding a plugin is one line here and one target in Package.swift.
enum ModuleCatalog {
    static var registry: Registry {
        var registry = Registry()
        BuiltinModules.register(in: &registry)
        SiLUActivationPlugin.register(in: &registry)
        RecallAnalysisPlugin.register(in: &registry)
        return registry
    }
}
