import Foundation
import LabCore
import LabModules
import Testing
import TestSupport

@testable import LabRunner

/// Sweep blocks expand into points; `--set` overrides reach any key path.
@Suite struct SweepPlanTests {
    static let config = """
        name: study
        seed: 9
        data: {type: random, count: 4, shape: [8]}
        model:
          mlp: {width: 4, depth: 1}
        training: {optimizer: sgd, epochs: 2, batch_size: 4}
        sweep:
          variants:
            plain: {}
            noisy: {training.corruption: {type: gaussian_noise, std: 0.1}}
          grid:
            model.mlp.width: [4, 8, 16]
            model.mlp.depth: [1, 2]
          repeats: 2
        """

    func plan(_ text: String = config, overrides: [String] = []) throws -> SweepPlan {
        let folder = TemporaryDirectory()
        try text.write(toFile: folder.file("sweep.yaml"), atomically: true, encoding: .utf8)
        return try SweepPlan(configFile: folder.file("sweep.yaml"), overrides: overrides.map(CommandLineOverride.parse))
    }

    @Test func pointsAreVariantsTimesGridTimesRepeatsInOrder() throws {
        let plan = try plan()
        #expect(plan.points.count == 2 * 3 * 2 * 2)
        #expect(plan.points.map(\.index) == Array(0..<24))
        #expect(plan.points[0].label == "plain_width=4_depth=1_r0")
        #expect(plan.points[3].label == "plain_width=4_depth=2_r1")
        #expect(plan.points[23].label == "noisy_width=16_depth=2_r1")
        #expect(Set(plan.points.map(\.label)).count == 24)
        // Every cell shares repeat r's seed; repeats differ; the plan is the same every time.
        let seeds = Set(plan.points.filter { $0.repeatIndex == 1 }.map(\.seed))
        #expect(seeds.count == 1 && seeds != Set(plan.points.filter { $0.repeatIndex == 0 }.map(\.seed)))
        #expect(try self.plan().points.map(\.seed) == plan.points.map(\.seed))
        let experiment = try Experiment(config: plan.points[23].config, registry: BuiltinModules.registry, baseDirectory: ".", source: "test")
        #expect(experiment.network.layers.map(\.outputShape) == [[16], [16], [16], [16], [8]])  // depth 2, width 16
        #expect(experiment.corruption != nil && experiment.seed == UInt64(plan.points[23].seed))
    }

    @Test func overridesReachNestedKeysAndListItemsAndCreateMissingKeys() throws {
        let plan = try plan(overrides: ["training.epochs=7", "data.shape[0]=12", "training.schedule={type: cosine}"])
        let experiment = try Experiment(config: plan.points[0].config, registry: BuiltinModules.registry, baseDirectory: ".", source: "test")
        #expect(experiment.training.epochs == 7)
        #expect(experiment.network.inputShape == [12])
        #expect(try experiment.resolvedYAML.contains("type: cosine"))
    }

    @Test func mistakesNameTheKeyAndWhatIsAllowed() throws {
        let notAList = Self.config.replacingOccurrences(of: "model.mlp.depth: [1, 2]", with: "model.mlp.depth: 2")
        do {
            _ = try self.plan(notAList)
            Issue.record("a grid key without a list was accepted")
        } catch {
            #expect("\(error)".contains("model.mlp.depth: expected a non-empty list of values to sweep"), "\(error)")
        }
        do {
            _ = try self.plan(Self.config.replacingOccurrences(of: "repeats: 2", with: "repeat: 2"))
            Issue.record("an unknown sweep key was accepted")
        } catch {
            #expect("\(error)".contains("unknown sweep key 'repeat' (allowed: grid, variants, repeats)"), "\(error)")
        }
        do {
            _ = try self.plan(overrides: ["data.shape[3]=1"])
            Issue.record("an index past the end was accepted")
        } catch {
            #expect("\(error)".contains("data.shape: has 1 items, so no [3]"), "\(error)")
        }
        #expect(throws: ConfigError.self) { try CommandLineOverride.parse("training.epochs") }
    }

    @Test func aSweepFileIsNotRunAsOneExperiment() throws {
        let folder = TemporaryDirectory()
        try Self.config.write(toFile: folder.file("sweep.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try ExperimentBuilder(registry: BuiltinModules.registry).experiment(configFile: folder.file("sweep.yaml"))
            Issue.record("a sweep file ran as one experiment")
        } catch {
            #expect("\(error)".contains("this file declares a sweep: run it with `aelab sweep"), "\(error)")
        }
    }

    @Test func slurmBlockIsReadApartFromTheExperiments() throws {
        let block = """
            slurm:
              time: "1-12:00:00"
              memory: 4G
              partition: long,short
              account: proj42
              cpus_per_task: 4
              array_limit: 500
              extra: ["--qos=normal", "#SBATCH --constraint=avx2"]

            """
        let plan = try plan(block + Self.config)
        #expect(plan.slurm.time == "1-12:00:00" && plan.slurm.memory == "4G" && plan.slurm.partition == "long,short")
        #expect(plan.slurm.account == "proj42" && plan.slurm.cpusPerTask == 4 && plan.slurm.arrayLimit == 500)
        #expect(plan.slurm.extra == ["--qos=normal", "#SBATCH --constraint=avx2"])
        _ = try Experiment(config: plan.points[0].config, registry: BuiltinModules.registry, baseDirectory: ".", source: "test")
        #expect(try self.plan().slurm == SlurmSettings())

        let folder = TemporaryDirectory()
        let single = Self.config.components(separatedBy: "sweep:")[0]
        try (block + single).write(toFile: folder.file("one.yaml"), atomically: true, encoding: .utf8)
        #expect(try ExperimentBuilder(registry: BuiltinModules.registry).experiment(configFile: folder.file("one.yaml")).name == "study")
    }

    @Test func slurmMistakesNameTheKeyAndWhatIsAllowed() throws {
        let cases = [
            ("slurm: {tme: 10}", "1:14: error: slurm.tme: unknown key 'tme' (did you mean 'time'?) (allowed: time, memory, partition, account, cpus_per_task, array_limit, extra)"),
            ("slurm: {time: 2 hours}", "slurm.time: '2 hours' is not a time limit (allowed: minutes, minutes:seconds, hours:minutes:seconds,"),
            ("slurm: {memory: 4GB}", "slurm.memory: '4GB' is not an amount of memory (allowed: a whole number with an optional unit K, M, G or T"),
            ("slurm: {partition: a b}", "slurm.partition: 'a b' is not a partition name"),
            ("slurm: {cpus_per_task: 0}", "slurm.cpus_per_task: 0 is out of range (allowed: an integer >= 1)"),
            ("slurm: {extra: --qos=x}", "slurm.extra: expected a list of sbatch options"),
            ("slurm: {extra: [--array=0-3]}", "slurm.extra[0]: '--array' is set by the script itself"),
            ("slurm: {extra: [qos=x]}", "slurm.extra[0]: 'qos=x' is not an sbatch option"),
            ("slurm: [time]", "slurm: expected a mapping of keys to values"),
        ]
        for (block, message) in cases {
            do {
                _ = try plan(block + "\n" + Self.config)
                Issue.record("accepted \(block)")
            } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func confidenceIntervalsUseStudentsT() {
        #expect(ReportStatistics.confidenceHalfWidth([1]) == nil)
        // Two values 1 and 3: s = √2, t(0.975, 1) = 12.706, half-width = 12.706 · √2 / √2.
        #expect(abs(ReportStatistics.confidenceHalfWidth([1, 3])! - 12.706) < 1e-9)
        #expect(abs(ReportStatistics.confidenceHalfWidth([2, 4, 6, 8])! - 3.182 * (20.0 / 3 / 4).squareRoot()) < 1e-9)
    }

    @Test func pointsThatWouldShareADirectoryAreRefused() throws {
        for grid in ["[8, 8]", "[\"d/x\", \"d-x\"]"] {
            let text = Self.config.replacingOccurrences(of: "model.mlp.width: [4, 8, 16]", with: "model.mlp.width: \(grid)")
            let error = #expect(throws: ConfigError.self, "\(grid)") { try plan(text) }
            #expect(String(describing: error!).contains("would share the run directory"), "\(grid)")
        }
    }
}
