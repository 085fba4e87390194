//! Integration tests: run the binary on the samples.
