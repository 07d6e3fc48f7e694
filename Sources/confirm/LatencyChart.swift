import ConfirmationKit
import Foundation

/// Renders the two clocks' latency distributions as a standalone SVG: pre-confirmation (seconds)
/// on the left, L1 posted and finalized (minutes) on the right, each a histogram with labelled
/// axes and p50 / p90 / p99 markers.
struct LatencyChart {
    var metrics: ClockMetrics
    var title = "Two finality clocks — latency from submission"

    private let width = 1000.0
    private let height = 500.0

    struct Series {
        var name: String
        var color: String
        var samples: [Double]
        var summary: LatencySummary
    }

    func svg() -> String {
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif">
        <rect width="100%" height="100%" fill="#ffffff"/>
        <text x="\(width / 2)" y="30" text-anchor="middle" font-size="19" font-weight="bold" fill="#1f2933">\(escape(title))</text>

        """
        let pre = Series(name: "pre-confirmed", color: "#2f80ed",
                         samples: samples("preconfirmation").map { $0 / 1000 }, summary: metrics.preconfirmation)
        let posted = Series(name: "posted on L1", color: "#f2994a",
                            samples: samples("posted").map { $0 / 60_000 }, summary: metrics.posted)
        let final = Series(name: "L1 finalized", color: "#27ae60",
                           samples: samples("finalized").map { $0 / 60_000 }, summary: metrics.finalized)
        out += panel(x: 70, y: 70, width: 380, height: 290, heading: "Shared sequencer pre-confirmation",
                     unit: "seconds since submission", series: [pre], scale: 1000)
        out += panel(x: 560, y: 70, width: 390, height: 290, heading: "L1 settlement",
                     unit: "minutes since submission", series: [posted, final], scale: 60_000)
        let footer = "\(metrics.tracked) subjects · \(metrics.reversionEvents) reversion events on \(metrics.revertedSubjects) subjects · dashed lines: p50, p90, p99"
        out += "<text x=\"\(width / 2)\" y=\"\(height - 18)\" text-anchor=\"middle\" font-size=\"13\" fill=\"#52606d\">\(escape(footer))</text>\n"
        out += "</svg>\n"
        return out
    }

    private func samples(_ key: String) -> [Double] {
        (metrics.samples[key] ?? []).map { Double($0) }
    }

    /// One histogram panel; `scale` converts milliseconds (the summary's unit) to the axis unit.
    private func panel(x: Double, y: Double, width w: Double, height h: Double, heading: String, unit: String,
                       series: [Series], scale: Double) -> String {
        let all = series.flatMap(\.samples)
        let low = 0.0
        let high = niceCeiling(max(all.max() ?? 1, 1e-9) * 1.05)
        let bins = 24
        let binWidth = (high - low) / Double(bins)
        var counts = series.map { _ in [Int](repeating: 0, count: bins) }
        for (s, item) in series.enumerated() {
            for value in item.samples {
                let index = min(bins - 1, max(0, Int((value - low) / binWidth)))
                counts[s][index] += 1
            }
        }
        let peak = max(1, counts.flatMap { $0 }.max() ?? 1)
        let yStep = max(1, niceCeiling(Double(peak) / 4).rounded(.up))
        let yTop = yStep * 4
        var out = "<g>\n"
        out += "<text x=\"\(x + w / 2)\" y=\"\(y - 14)\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" fill=\"#323f4b\">\(escape(heading))</text>\n"
        // Grid and y axis.
        for tick in 0...4 {
            let value = yTop * Double(tick) / 4
            let ty = y + h - h * Double(tick) / 4
            out += "<line x1=\"\(x)\" y1=\"\(ty)\" x2=\"\(x + w)\" y2=\"\(ty)\" stroke=\"#e4e7eb\"/>\n"
            out += "<text x=\"\(x - 8)\" y=\"\(ty + 4)\" text-anchor=\"end\" font-size=\"11\" fill=\"#52606d\">\(format(value, integer: true))</text>\n"
        }
        // Bars: series side by side inside each bin.
        let slot = w / Double(bins)
        let barWidth = max(1, (slot - 2) / Double(series.count))
        for (s, item) in series.enumerated() {
            for (b, count) in counts[s].enumerated() where count > 0 {
                let bh = h * Double(count) / yTop
                let bx = x + Double(b) * slot + 1 + Double(s) * barWidth
                out += "<rect x=\"\(r(bx))\" y=\"\(r(y + h - bh))\" width=\"\(r(barWidth))\" height=\"\(r(bh))\" fill=\"\(item.color)\" fill-opacity=\"0.85\"><title>\(escape(item.name)): \(count) in [\(format(low + Double(b) * binWidth)), \(format(low + Double(b + 1) * binWidth)))</title></rect>\n"
            }
        }
        // Percentile markers.
        for (s, item) in series.enumerated() where item.summary.count > 0 {
            for (k, (label, value)) in [("p50", item.summary.p50), ("p90", item.summary.p90), ("p99", item.summary.p99)].enumerated() {
                let v = Double(value) / scale
                let px = x + w * (v - low) / (high - low)
                // Labels stacked (one row per percentile and series) so close values stay legible.
                let row = Double(s * 3 + k)
                let anchorEnd = px > x + w * 0.75
                out += "<line x1=\"\(r(px))\" y1=\"\(y)\" x2=\"\(r(px))\" y2=\"\(y + h)\" stroke=\"\(item.color)\" stroke-dasharray=\"4 3\" stroke-width=\"1.2\"/>\n"
                out += "<text x=\"\(r(anchorEnd ? px - 3 : px + 3))\" y=\"\(r(y + 11 + row * 12))\" text-anchor=\"\(anchorEnd ? "end" : "start")\" font-size=\"10\" fill=\"\(item.color)\">\(label) \(format(v))</text>\n"
            }
        }
        // X axis.
        out += "<line x1=\"\(x)\" y1=\"\(y + h)\" x2=\"\(x + w)\" y2=\"\(y + h)\" stroke=\"#323f4b\"/>\n"
        out += "<line x1=\"\(x)\" y1=\"\(y)\" x2=\"\(x)\" y2=\"\(y + h)\" stroke=\"#323f4b\"/>\n"
        for tick in 0...5 {
            let value = low + (high - low) * Double(tick) / 5
            let tx = x + w * Double(tick) / 5
            out += "<line x1=\"\(r(tx))\" y1=\"\(y + h)\" x2=\"\(r(tx))\" y2=\"\(y + h + 5)\" stroke=\"#323f4b\"/>\n"
            out += "<text x=\"\(r(tx))\" y=\"\(y + h + 19)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#52606d\">\(format(value))</text>\n"
        }
        out += "<text x=\"\(x + w / 2)\" y=\"\(y + h + 40)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#323f4b\">\(escape(unit))</text>\n"
        out += "<text transform=\"translate(\(x - 45) \(y + h / 2)) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" fill=\"#323f4b\">subjects</text>\n"
        // Legend, under the axis label.
        for (s, item) in series.enumerated() {
            let lx = x + Double(s) * 215
            let ly = y + h + 52
            out += "<rect x=\"\(lx)\" y=\"\(ly)\" width=\"12\" height=\"12\" fill=\"\(item.color)\"/>\n"
            out += "<text x=\"\(lx + 18)\" y=\"\(ly + 10)\" font-size=\"12\" fill=\"#323f4b\">\(escape(item.name)): \(item.summary.count), median \(format(Double(item.summary.p50) / scale))</text>\n"
        }
        out += "</g>\n"
        return out
    }

    private func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    private func format(_ value: Double, integer: Bool = false) -> String {
        if integer || value == value.rounded() && abs(value) >= 10 { return String(Int(value.rounded())) }
        return String(format: value < 1 ? "%.2f" : "%.1f", value)
    }

    private func r(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
