/// A bridge's risk policy for minting on the destination rollup before L1 settlement.
///
/// ```swift
/// let policy = FastMintPolicy(
///     maximumAmountPerMint: UInt256(10_000), maximumAmountPerWindow: UInt256(50_000), windowMilliseconds: 3_600_000,
///     minimumSignedStake: .init(numerator: 3, denominator: 4), maximumCertificateAgeMilliseconds: 60_000,
///     finalityRequiredAbove: UInt256(5_000))
/// ```
public struct FastMintPolicy: Sendable, Hashable, Codable {
    /// A fraction of the total stake, compared exactly.
    public struct StakeFraction: Sendable, Hashable, Codable {
        public var numerator: UInt64
        public var denominator: UInt64
        public init(numerator: UInt64, denominator: UInt64) {
            self.numerator = numerator
            self.denominator = max(denominator, 1)
        }
    }

    /// The largest single early mint; larger amounts wait for settlement.
    public var maximumAmountPerMint: UInt256
    /// The most value minted early within any window.
    public var maximumAmountPerWindow: UInt256
    /// The window length in milliseconds.
    public var windowMilliseconds: UInt64
    /// The least signed stake a certificate must carry for an early mint.
    public var minimumSignedStake: StakeFraction
    /// The oldest a certificate may be (by its signed time, else by when it was applied).
    public var maximumCertificateAgeMilliseconds: UInt64
    /// Amounts above this always wait for L1 finality.
    public var finalityRequiredAbove: UInt256

    public init(maximumAmountPerMint: UInt256, maximumAmountPerWindow: UInt256, windowMilliseconds: UInt64,
                minimumSignedStake: StakeFraction, maximumCertificateAgeMilliseconds: UInt64,
                finalityRequiredAbove: UInt256) {
        self.maximumAmountPerMint = maximumAmountPerMint
        self.maximumAmountPerWindow = maximumAmountPerWindow
        self.windowMilliseconds = windowMilliseconds
        self.minimumSignedStake = minimumSignedStake
        self.maximumCertificateAgeMilliseconds = maximumCertificateAgeMilliseconds
        self.finalityRequiredAbove = finalityRequiredAbove
    }
}

/// The gate's answer for one mint request.
public enum MintDecision: Sendable, Hashable, Codable {
    /// Mint now: the pre-confirmation is within the policy (or L1 has finalized it).
    case mintNow
    /// Do not mint yet; ask again when the settlement clock moves. The code says which rule held it back.
    case waitForSettlement(code: String)
    /// Never mint for this request.
    case reject(code: String)
}

/// A mint made before L1 finality.
public struct FastMint: Sendable, Hashable, Codable {
    /// The bridge's own id for the mint.
    public var mintID: String
    /// The tracked subject (deposit) it was minted against.
    public var subject: Bytes32
    /// The amount minted.
    public var amount: UInt256
    /// When it was minted.
    public var at: Timestamp
}

/// Decides fast mints for a bridge, tracks the value minted early and not yet final, and names
/// exactly the mints a reversion affects.
///
/// ```swift
/// var gate = FastMintGate(policy: policy)
/// switch gate.decide(mintID: "m-1", amount: amount, clocks: clocks, at: now) {
/// case .mintNow: mint()
/// case .waitForSettlement(let code): log(code)
/// case .reject(let code): refuse(code)
/// }
/// for update in updates { let affected = gate.apply(update); if !affected.isEmpty { pause(affected) } }
/// ```
public struct FastMintGate: Sendable, Codable, Equatable {
    /// The policy.
    public var policy: FastMintPolicy
    /// Early mints whose subject is not L1-final yet.
    public private(set) var outstanding: [FastMint] = []
    /// Early mints inside the current window, for the window limit.
    private var recent: [FastMint] = []
    /// Every mint id ever decided `mintNow`.
    private var minted: Set<String> = []

    public init(policy: FastMintPolicy) { self.policy = policy }

    /// The value minted early and not yet final.
    public var outstandingValue: UInt256 {
        outstanding.reduce(UInt256.zero) { $0.addingReportingOverflow($1.amount).partialValue }
    }

    /// Decides a mint request and, for `mintNow` before finality, records the mint as outstanding.
    ///
    /// Rule order: duplicate or zero → reject; pre-confirmation reverted or settlement conflict →
    /// reject (a settlement reverted by an L1 reorg only waits); L1 finalized → mint; not
    /// pre-confirmed → wait; above the finality threshold or the per-mint limit → wait; signed stake
    /// below the minimum → wait; certificate too old → wait; window full → wait; else mint.
    public mutating func decide(mintID: String, amount: UInt256, clocks: TrackedClocks, at time: Timestamp) -> MintDecision {
        if minted.contains(mintID) { return .reject(code: "mint.duplicate") }
        if amount.isZero { return .reject(code: "mint.zero-amount") }
        if case .reverted = clocks.preconfirmation { return .reject(code: "mint.reverted") }
        // A settlement conflict is final; a reorg of the posting block is not (the commitment is posted
        // again), so the request is judged on its pre-confirmation as if not yet posted.
        if case .reverted(let reversion) = clocks.settlement, case .settlementConflict = reversion.reason {
            return .reject(code: "mint.reverted")
        }
        if case .finalized = clocks.settlement {
            minted.insert(mintID)
            return .mintNow
        }
        guard case .preconfirmed(let preconfirmation) = clocks.preconfirmation else {
            return .waitForSettlement(code: "mint.not-preconfirmed")
        }
        if amount > policy.finalityRequiredAbove { return .waitForSettlement(code: "mint.requires-finality") }
        if amount > policy.maximumAmountPerMint { return .waitForSettlement(code: "mint.amount-above-limit") }
        let block = preconfirmation.block
        if UInt256.compareProducts(block.signedStake, policy.minimumSignedStake.denominator,
                                   block.totalStake, policy.minimumSignedStake.numerator) < 0 {
            return .waitForSettlement(code: "mint.stake-below-minimum")
        }
        let certified = block.signedTime.map { Timestamp(seconds: $0) } ?? preconfirmation.at
        if time.milliseconds(since: certified) > policy.maximumCertificateAgeMilliseconds {
            return .waitForSettlement(code: "mint.certificate-too-old")
        }
        let windowStart = time.milliseconds >= policy.windowMilliseconds ? time.milliseconds - policy.windowMilliseconds : 0
        recent.removeAll { $0.at.milliseconds <= windowStart }
        let inWindow = recent.reduce(UInt256.zero) { $0.addingReportingOverflow($1.amount).partialValue }
        let (total, overflow) = inWindow.addingReportingOverflow(amount)
        if overflow || total > policy.maximumAmountPerWindow {
            return .waitForSettlement(code: "mint.window-limit")
        }
        let mint = FastMint(mintID: mintID, subject: clocks.id, amount: amount, at: time)
        minted.insert(mintID)
        recent.append(mint)
        outstanding.append(mint)
        return .mintNow
    }

    /// Applies a clock change: a finalized settlement releases the subject's outstanding mints; a
    /// reversion removes them and returns them (exactly the mints that relied on the reverted clock).
    @discardableResult
    public mutating func apply(_ update: ClockUpdate) -> [FastMint] {
        let id = update.clocks.id
        var reverted = false
        if case .reverted = update.clocks.preconfirmation { reverted = true }
        if case .reverted(let reversion) = update.clocks.settlement, case .settlementConflict = reversion.reason { reverted = true }
        if case .finalized = update.clocks.settlement {
            outstanding.removeAll { $0.subject == id }
            return []
        }
        guard reverted else { return [] }
        let affected = outstanding.filter { $0.subject == id }
        outstanding.removeAll { $0.subject == id }
        return affected
    }
}
