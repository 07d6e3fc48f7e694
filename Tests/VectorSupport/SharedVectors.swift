public enum VectorSupportPlaceholder {}
