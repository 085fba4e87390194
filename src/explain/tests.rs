//! Tests of the explanations on the course's own packets, of the catalogs' completeness, and
//! snapshots of the text layout.

mod behaviour;
mod catalog_coverage;
mod seed;
mod snapshots;
