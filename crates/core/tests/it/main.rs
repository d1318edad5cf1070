//! Integration tests of the public `confidant-core` API.
