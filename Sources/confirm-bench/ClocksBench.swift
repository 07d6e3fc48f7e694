import CBenchSupport
import ConfirmationKit
import ConfirmationSimulation
import Foundation

/// Issue 5 targets: applying one verified pre-confirmation or one L1 head update to a tracker holding
/// 100,000 transactions costs at most 20 µs (amortised); memory under 1 KiB per tracked transaction.
func clocksBenchmarks(_ bench: Bench) {
    let blocks = 100
    let perBlock = 1_000
    let t0 = Timestamp(seconds: 1_767_225_600)
    var sequencer = try! DemoSequencer(validators: 7, seed: 5)
    var produced: [DemoSequencer.Block] = []
    var proofs: [[InclusionProof]] = []
    var subjects: [TrackedSubject] = []
    for b in 0..<blocks {
        let transactions = (0..<perBlock).map { Array("block \(b) tx \($0)".utf8) }
        let block = try! sequencer.produceBlock(transactions: [7: transactions], at: t0)
        produced.append(block)
        proofs.append((0..<perBlock).map { .namespaceInclusion(try! block.block.inclusionProof(namespace: 7, index: $0)) })
        subjects += transactions.map { .transaction(TransactionReference(namespace: 7, transaction: $0)) }
    }
    let certified = produced.map { CertifiedBlock($0.verified) }

    // Memory: a tracker holding 100,000 tracked, pre-confirmed transactions.
    confirmationkit_trim_heap()
    let before = heapInUse()
    let rssBefore = residentBytes()
    var core = TrackerCore()
    for subject in subjects { core.track(subject, at: t0) }
    let genesis = L1BlockHeader(number: 0, hash: SHA256.hash([0]), parentHash: .zero, timestamp: 0)
    core.startSettlementClock(checkpoint: genesis)

    // Pre-confirmation, one transaction at a time (inclusion proof verified inside), amortised.
    let start = DispatchTime.now().uptimeNanoseconds
    for b in 0..<blocks {
        for proof in proofs[b] { _ = try! core.preconfirm(certified[b], proof: proof, at: t0) }
    }
    let preconfirmNs = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(blocks * perBlock)
    let after = heapInUse()
    confirmationkit_trim_heap()
    let rssAfter = residentBytes()
    let verifyNs = Bench.time(roundSeconds: bench.roundSeconds, rounds: bench.rounds) {
        blackHole(proofs[0][517].verify(against: certified[0].blockCommitment))
    }
    bench.record("raw: inclusion proof verify (1,000-tx namespace)", nanoseconds: verifyNs, baseline: nil, ratio: nil, target: nil)
    bench.record("preconfirm one tx, tracker of 100,000 (amortised)", nanoseconds: preconfirmNs,
                 baseline: "proof verify", ratio: preconfirmNs / verifyNs, target: nil,
                 note: String(format: "%.2f µs (target ≤ 20 µs: %@)", preconfirmNs / 1000, preconfirmNs <= 20_000 ? "met" : "MISSED"))

    // L1 heads: 300 heads; every third posts a third of the blocks' commitments... every block posted once.
    var heads: [L1BlockHeader] = []
    var parent = genesis
    for n in 1...300 {
        let header = L1BlockHeader(number: UInt64(n), hash: SHA256.hash(withUnsafeBytes(of: UInt64(n)) { Array($0) }),
                                   parentHash: parent.hash, timestamp: UInt64(n) * 12)
        heads.append(header)
        parent = header
    }
    var postingsAt: [Int: [L1Posting]] = [:]
    for b in 0..<blocks {
        let headIndex = (b * 3) % 300
        postingsAt[headIndex, default: []].append(
            L1Posting(network: certified[b].network.rawValue, height: certified[b].height,
                      blockCommitment: certified[b].blockCommitment, l1Block: heads[headIndex], evidence: "bench"))
    }
    let headStart = DispatchTime.now().uptimeNanoseconds
    for (i, head) in heads.enumerated() {
        _ = try! core.applyL1Head(head, postings: postingsAt[i] ?? [], at: t0)
        if i >= 64 { _ = try! core.applyL1Finalized(heads[i - 64], at: t0) }
    }
    let headNs = Double(DispatchTime.now().uptimeNanoseconds - headStart) / Double(heads.count)
    let transitions = Double(blocks * perBlock * 2)  // posted, then finalized
    bench.record("L1 head update incl. postings + finality (amortised per head)", nanoseconds: headNs,
                 baseline: nil, ratio: nil, target: nil,
                 note: String(format: "%.2f µs per head; %.0f ns per clock transition (target ≤ 20 µs per update: %@)",
                              headNs / 1000, headNs * Double(heads.count) / transitions,
                              headNs * Double(heads.count) / transitions <= 20_000 ? "met" : "MISSED"))

    // An L1 head with no postings on a tracker of 100,000 transactions.
    var tail = parent
    var emptyHeads: [L1BlockHeader] = []
    for n in 301...50_300 {
        let header = L1BlockHeader(number: UInt64(n), hash: SHA256.hash(withUnsafeBytes(of: UInt64(n)) { Array($0) }),
                                   parentHash: tail.hash, timestamp: UInt64(n) * 12)
        emptyHeads.append(header)
        tail = header
    }
    let emptyStart = DispatchTime.now().uptimeNanoseconds
    for (i, head) in emptyHeads.enumerated() {
        _ = try! core.applyL1Head(head, postings: [], at: t0)
        if i % 32 == 0, i >= 64 { _ = try! core.applyL1Finalized(emptyHeads[i - 64], at: t0) }
    }
    let emptyNs = Double(DispatchTime.now().uptimeNanoseconds - emptyStart) / Double(emptyHeads.count)
    bench.record("L1 head update, no postings (amortised)", nanoseconds: emptyNs, baseline: nil, ratio: nil, target: nil,
                 note: String(format: "target ≤ 20 µs: %@", emptyNs <= 20_000 ? "met" : "MISSED"))

    if let before, let after {
        let perItem = Double(after - before) / Double(blocks * perBlock)
        bench.record("heap per tracked, pre-confirmed transaction", nanoseconds: 0, baseline: nil, ratio: nil, target: nil,
                     note: String(format: "%.0f bytes (target < 1024: %@)", perItem, perItem < 1024 ? "met" : "MISSED"))
    }
    if let rssBefore, let rssAfter {
        let perItem = Double(rssAfter - rssBefore) / Double(blocks * perBlock)
        bench.record("resident memory growth per transaction (after malloc_trim)", nanoseconds: 0, baseline: nil, ratio: nil,
                     target: nil, note: String(format: "%.0f bytes (target < 1024: %@)", perItem, perItem < 1024 ? "met" : "MISSED"))
    }
    blackHole(core.items.count)
}

/// Resident memory of the process in bytes (Linux `/proc/self/statm`), or nil where unavailable.
private func residentBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Bytes allocated by malloc (glibc `mallinfo2`), or nil where unavailable. Measured around building
/// the tracker only, so the delta is what the tracker holds (temporaries freed in between do not count).
private func heapInUse() -> Int? {
    let bytes = confirmationkit_heap_in_use()
    return bytes == 0 ? nil : Int(bytes)
}
