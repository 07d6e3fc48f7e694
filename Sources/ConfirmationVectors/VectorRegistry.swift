/// Every published vector suite, in the order `confirm vectors` runs them.
public enum VectorRegistry {
    public static let suites: [any VectorSuite] = [
        // Each toolkit and profile appends its suites here.
        CryptoEncodingVectors(),
        ProofBundleVectors(),
        ClockVectors(),
        QuorumSecp256k1VectorSuite(),
        MerkleRFC6962SHA256Vectors(),
        MerkleRFC6962Keccak256Vectors(),
        MerkleMultiProofVectors(),
        MerkleNamespacedBlockVectors(),
        EthereumRLPVectors(),
        EthereumProofVectors(),
        EthereumHeaderVectors(),
        BN254PointVectors(),
        EspressoBLSVectors(),
        EthereumSettlementVectors(),
        CometBFTCommitVectors(),
        CometBFTLightVectors(),
        CometBFTParsingVectors(),
        CometBFTSkippingVectors(),
        AstriaProofVectors(),
        QuorumRotationVectorSuite(),
        QuorumEquivocationVectorSuite(),
        EspressoHotShotVectors(),
        EspressoVIDVectors(),
    ]
}
