func cryptoBenchmarks(_ bench: Bench) {}
