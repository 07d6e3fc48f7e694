import ArgumentParser
import ConfirmationKit
import Foundation

/// `confirm report`: render clock metrics as an SVG chart.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render the two clocks' latency histograms and percentiles (metrics JSON) as an SVG."
    )

    @Argument(help: "Metrics JSON, as written by `confirm clocks simulate --metrics-out` or `confirm demo`.")
    var metrics: String

    @Option(name: .long, help: "Where to write the SVG.")
    var svg: String

    func run() throws {
        let metrics = try decodeJSON(ClockMetrics.self, from: readInputFile(metrics), what: "metrics file")
        try Data(LatencyChart(metrics: metrics).svg().utf8).write(to: URL(fileURLWithPath: svg))
        print("wrote \(svg)")
    }
}
