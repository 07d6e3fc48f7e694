import Foundation

// confirm-bench [SECTION ...]
// Build and run with: swift run -c release confirm-bench [crypto] [clocks] [merkle] [quorum] [ethereum] [bn254] [cometbft] [espresso] [vid]
// Every figure is a ratio to the raw primitive measured in the same run.

let sections: [(name: String, run: (Bench) -> Void)] = [
    ("crypto", cryptoBenchmarks),
    ("clocks", clocksBenchmarks),
    ("merkle", merkleBenchmarks),
    ("ethereum", ethereumBenchmarks),
    ("bn254", bn254Benchmarks),
    ("cometbft", cometbftBenchmarks),
    ("quorum", quorumBenchmarks),
    ("espresso", espressoBenchmarks),
    ("vid", vidBenchmarks),
]

let requested = Set(CommandLine.arguments.dropFirst())
var allMet = true
for section in sections where requested.isEmpty || requested.contains(section.name) {
    let bench = Bench()
    section.run(bench)
    bench.printReport(title: section.name)
    allMet = allMet && bench.allTargetsMet
}
print(allMet ? "\nall targets met" : "\nsome targets MISSED")
