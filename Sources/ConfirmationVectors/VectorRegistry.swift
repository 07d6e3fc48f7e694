/// Every published vector suite, in the order `confirm vectors` runs them.
public enum VectorRegistry {
    public static let suites: [any VectorSuite] = [
        // Each toolkit and profile appends its suites here.
        QuorumSecp256k1VectorSuite(),
        QuorumRotationVectorSuite(),
        QuorumEquivocationVectorSuite(),
    ]
}
