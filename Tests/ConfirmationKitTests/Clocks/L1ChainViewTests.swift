import ConfirmationKit
import Testing

/// Builds linked headers for tests: `fork` changes the hashes of a branch.
func l1Header(_ number: UInt64, parent: L1BlockHeader?, fork: UInt8 = 0) -> L1BlockHeader {
    let hash = SHA256.hash(Array("l1".utf8) + withUnsafeBytes(of: number.bigEndian) { Array($0) } + [fork]
                           + (parent?.hash.bytes ?? []))
    return L1BlockHeader(number: number, hash: hash, parentHash: parent?.hash ?? .zero, timestamp: 1_000 + number * 12)
}

func l1Chain(from base: L1BlockHeader, count: Int, fork: UInt8 = 0) -> [L1BlockHeader] {
    var out: [L1BlockHeader] = []
    var parent = base
    for _ in 0..<count {
        let next = l1Header(parent.number + 1, parent: parent, fork: fork)
        out.append(next)
        parent = next
    }
    return out
}

@Suite("L1 chain view")
struct L1ChainViewTests {
    let genesis = l1Header(100, parent: nil)

    @Test func extendsAndReportsDepth() throws {
        var view = L1ChainView(checkpoint: genesis)
        let blocks = l1Chain(from: genesis, count: 5)
        for block in blocks { #expect(try view.apply(head: block) == .extended) }
        #expect(try view.apply(head: blocks[4]) == .unchanged)
        #expect(view.head == blocks[4])
        #expect(view.depth(of: blocks[0]) == 5)
        #expect(view.depth(of: blocks[4]) == 1)
        #expect(!view.isFinalized(blocks[0]))
    }

    @Test func reorganisationYieldsConsistentEvidence() throws {
        var view = L1ChainView(checkpoint: genesis)
        let main = l1Chain(from: genesis, count: 4)
        for block in main { _ = try view.apply(head: block) }
        let fork = l1Chain(from: main[1], count: 3, fork: 1)
        guard case .reorganized(let evidence) = try view.apply(head: fork[0]) else {
            Issue.record("expected a reorganisation")
            return
        }
        #expect(evidence.removed == [main[2], main[3]])
        #expect(evidence.forkPoint == main[1])
        #expect(evidence.isConsistent)
        #expect(view.head == fork[0])
        #expect(!view.contains(main[2]))
        #expect(view.depth(of: main[3]) == 0)

        var forged = evidence
        forged.replacement = main[2]
        #expect(!forged.isConsistent)
    }

    @Test func rejectsUnlinkedAndFinalizedConflicts() throws {
        var view = L1ChainView(checkpoint: genesis)
        let main = l1Chain(from: genesis, count: 3)
        #expect(throws: ConfirmationError(.l1UnlinkedHeader, "")) { try view.apply(head: main[1]) }
        for block in main { _ = try view.apply(head: block) }
        #expect(try view.finalize(main[1]) == [main[0], main[1]])
        #expect(view.isFinalized(main[0]) && view.isFinalized(main[1]) && !view.isFinalized(main[2]))
        let other = l1Chain(from: genesis, count: 2, fork: 9)
        #expect(throws: ConfirmationError(.l1BelowFinalized, "")) { try view.apply(head: other[1]) }
        #expect(throws: ConfirmationError(.l1FinalizedConflict, "")) { try view.finalize(other[0]) }
        let ahead = l1Chain(from: main[2], count: 2)
        #expect(throws: ConfirmationError(.l1UnlinkedHeader, "")) { try view.finalize(ahead[1]) }
    }
}
